from flask import current_app, redirect, render_template, session

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


def brand_colour(policy) -> str:
    # The policy's schema allows only "#rrggbb", so it is safe to write into a stylesheet.
    return policy.raw["landlord"].get("brand_colour", "#00594f")


@bp.get("/brand.css")
def brand_css():
    """The landlord's colour as a stylesheet: the CSP allows no style attributes (style-src 'self')."""
    colour = brand_colour(current_policy())
    css = f":root {{ --app-brand-colour: {colour}; }}\n.app-header {{ background: var(--app-brand-colour); }}\n"
    response = current_app.response_class(css, mimetype="text/css")
    # It changes only with the policy. Private: a response may carry the session cookie, never for a shared cache.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
