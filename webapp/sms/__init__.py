"""Text messages with Twilio: the webhook (store first, answer at once), SMS conventions, and the worker.

The webhook only stores the message and does what cannot wait (STOP, HELP,
the 999 advice); the worker (`flask --app webapp sms worker`) hands each
message to the bot in order, and sends the replies through the outbound
interface. A bot that is down loses nothing: messages wait and are retried.
"""

from flask import Blueprint

bp = Blueprint("sms", __name__, url_prefix="/sms")

from webapp.sms import routes  # noqa: E402,F401
