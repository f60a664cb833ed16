"""A resident proves a case is theirs with a 6-number code texted to the number on it.

Used by the diary (to add entries) and the case page (to see the status and
change how often they hear from us). The code goes only to a number the
resident said is safe for texts, and the pages answer the same whether or not
the reference exists, so they tell no one whether a case exists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from flask import current_app, session
from flask_babel import force_locale
from flask_babel import gettext as _

from asb_domain.repeats import phone_key
from webapp import reports
from webapp.outbound import send_message

CODE_SECONDS = 15 * 60
CODE_TRIES = 5


def _hash(code: str) -> str:
    # Keyed with the app's secret: the session cookie is signed but readable, and a plain hash of a 6-digit
    # code would be cracked offline in milliseconds by whoever holds the cookie.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def ask_for_code(purpose: str, reference: str, statuses, text_for) -> None:
    """Text a code for the case with this reference (when it may be texted); remember it in the session."""
    report = reports.find_submitted(reference)
    to = phone_key(report.contact_phone) if report and report.contact_phone else None
    if report is not None and report.status in statuses and to and report.text_safe and not report.no_contact:
        code = f"{secrets.randbelow(10**6):06d}"
        session[f"{purpose}_code"] = {"hash": _hash(code), "report": report.id, "until": time.time() + CODE_SECONDS}
        with force_locale(report.language):
            body = text_for(code)
        send_message(to, body, dedupe_key=f"{purpose}-code:{report.id}:{secrets.token_hex(8)}", report_id=report.id)
    else:
        session[f"{purpose}_code"] = {"hash": "", "report": None, "until": time.time() + CODE_SECONDS}
    session[f"{purpose}_tries"] = 0


def pending(purpose: str) -> bool:
    return bool(session.get(f"{purpose}_code"))


def check_code(purpose: str, code: str) -> tuple[int | None, str | None]:
    """(the report's id, None) when the code is right; else (None, what to tell the resident)."""
    waiting = session.get(f"{purpose}_code") or {}
    session[f"{purpose}_tries"] = session.get(f"{purpose}_tries", 0) + 1
    fresh = time.time() < waiting.get("until", 0) and session[f"{purpose}_tries"] <= CODE_TRIES
    if fresh and waiting.get("report") and hmac.compare_digest(waiting["hash"], _hash(code.strip())):
        session.pop(f"{purpose}_code")
        return waiting["report"], None
    if not fresh:
        session.pop(f"{purpose}_code", None)
        return None, _("That code has run out. Ask for a new one.")
    return None, _("That code is not right. Check the text we sent and try again.")
