"""Web chat with the bot, through the web app: residents never reach Rasa's ports.

Works without JavaScript as a server-rendered transcript with a reply box
(the transcript comes from Rasa's tracker, so the web app keeps no second
copy); with JavaScript the transcript updates in place.
"""

from flask import Blueprint

bp = Blueprint("chat", __name__, url_prefix="/chat")

from webapp.chat import routes  # noqa: E402,F401
