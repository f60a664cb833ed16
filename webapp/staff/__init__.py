"""Staff pages: login, the case queue, a report, actions, CSV export, phone reports."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from webapp.staff import routes  # noqa: E402,F401
