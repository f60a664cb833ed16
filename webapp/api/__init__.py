"""The CRM API under /api/v1: bearer tokens, list changes since a cursor, get one report, acknowledge."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import routes  # noqa: E402,F401
