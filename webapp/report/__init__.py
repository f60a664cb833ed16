"""The web report journey: danger first, kind screening, the RAM a question a page, a reference at the end."""

from flask import Blueprint

bp = Blueprint("report", __name__, url_prefix="/report")

from webapp.report import routes  # noqa: E402,F401
