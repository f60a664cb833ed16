from flask import render_template

from webapp import current_policy
from webapp.main import bp


@bp.get("/")
def start():
    return render_template("main/start.html", policy=current_policy())


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
