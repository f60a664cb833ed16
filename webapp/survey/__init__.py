"""The satisfaction survey after a case closes, on the web: the link goes by email (by text, numbers answer it)."""

from flask import Blueprint

bp = Blueprint("survey", __name__, url_prefix="/survey")

from webapp.survey import routes  # noqa: E402,F401
