"""Staff sessions end on the server: STAFF_IDLE_MINUTES after the last request, and STAFF_ABSOLUTE_HOURS after
signing in however busy (a staff laptop left open, or a stolen cookie, stops working).

Both times live in the session, which Flask signs: the browser can read them but not move them on. The check
runs on every request made with a staff sign-in, the residents' pages too, because the contact centre takes
phone reports through them.
"""

from __future__ import annotations

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from webapp import audit, informing

SIGNED_IN_AT, LAST_SEEN_AT = "staff_signed_in_at", "staff_last_seen_at"
ENDED = {
    "idle": "You were signed out because there was no activity for {minutes} minutes. Sign in again.",
    "absolute": "You were signed out because you signed in more than {hours:g} hours ago. Sign in again.",
}


def _now() -> float:
    return informing.now().timestamp()  # informing.now follows the tests' clock (ASB_CLOCK)


def start() -> None:
    """Call at sign-in, once the session has been cleared and the user logged in."""
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = _now()


def _expired(now: float) -> str | None:
    signed_in, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    if signed_in is None or last_seen is None:
        return "absolute"  # a sign-in from before these times were kept: its age is unknown
    if now - signed_in > current_app.config["STAFF_ABSOLUTE_HOURS"] * 3600:
        return "absolute"
    if now - last_seen > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        return "idle"
    return None


def enforce():
    if "_user_id" not in session or request.endpoint == "static":
        return None  # not signed in (residents), or a stylesheet, which is no sign of someone at the desk
    now = _now()
    why = _expired(now)
    if why is None:
        session[LAST_SEEN_AT] = now
        return None
    if current_user.is_authenticated:
        audit.record(f"staff:{current_user.username}", "session_timeout", detail=why)
    logout_user()
    session.clear()
    config = current_app.config
    flash(ENDED[why].format(minutes=config["STAFF_IDLE_MINUTES"], hours=config["STAFF_ABSOLUTE_HOURS"]))
    return redirect(url_for("staff.login"))


def register(app: Flask) -> None:
    app.before_request(enforce)
