from flask import redirect, render_template, session

from webapp import current_policy
from webapp.main import bp

# Somewhere ordinary to land when leaving in a hurry.
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


@bp.get("/")
def start():
    return render_template("main/start.html", policy=current_policy())


@bp.get("/leave")
def leave():
    """Exit this page: forget this browser's session (the saved report stays in the store) and go elsewhere."""
    session.clear()
    response = redirect(NEUTRAL_SITE)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
