"""The incident diary: residents with an open case add entries between visits, as evidence."""

from flask import Blueprint

bp = Blueprint("diary", __name__, url_prefix="/diary")

from webapp.diary import routes  # noqa: E402,F401
