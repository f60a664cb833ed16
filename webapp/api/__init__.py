"""The API under /api/v1: CRM tokens (list, get, acknowledge), and the bot handing over reports."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import routes, submissions  # noqa: E402,F401
