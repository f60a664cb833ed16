"""A resident's own case: its status in plain words, and how often they hear from us (after a texted code)."""

from flask import Blueprint

bp = Blueprint("case", __name__, url_prefix="/case")

from webapp.case import routes  # noqa: E402,F401
