"""Reports in progress: kept in the store from the first answer, found again by session or resume code."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import delete, func, select

from webapp.extensions import db
from webapp.models import Report, utcnow

# No 0/O, 1/I/L: a code copied from a screen or read out must come back right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def current_draft() -> Report | None:
    report_id = session.get("report_id")
    if report_id is None:
        return None
    report = db.session.get(Report, report_id)
    if report is None or report.status != "draft":
        session.pop("report_id", None)
        return None
    return report


def start_draft(language: str) -> Report:
    # "phone" when contact-centre staff take the report through this same journey.
    report = Report(channel=session.get("report_channel", "web"), language=language)
    db.session.add(report)
    db.session.commit()
    session["report_id"] = report.id
    session.permanent = True
    return report


def update(report: Report, done_step: str | None = None, **draft_changes) -> None:
    """Save the page's answers now: nothing typed is lost."""
    from flask_babel import get_locale

    # The language the resident is reading now: they may change it on any page, and later messages follow.
    report.language = str(get_locale())
    draft = dict(report.draft or {})
    draft.update(draft_changes)
    if done_step and done_step not in draft.get("done", []):
        draft["done"] = [*draft.get("done", []), done_step]
    report.draft = draft
    db.session.commit()


def issue_resume_code(report: Report) -> str:
    """A new code for the resident to come back with; only its hash is kept."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    report.resume_code_hash = _hash(code)
    db.session.commit()
    return code


def resume(code_text: str) -> Report | None:
    code = normalise_code(code_text)
    if len(code) != CODE_LENGTH:
        return None
    report = db.session.scalar(select(Report).where(Report.resume_code_hash == _hash(code)))
    if report is None or report.status != "draft":
        return None
    session["report_id"] = report.id
    session.permanent = True
    return report


def purge_unsubmitted(policy, now=None, dry_run: bool = False) -> int:
    """Delete reports started and never sent, once older than the policy's retention time (never one on hold).

    `dry_run` only counts them.
    """
    cutoff = (now or utcnow()) - timedelta(days=policy.raw["retention"]["unsubmitted_report_days"])
    due = (Report.status == "draft", Report.updated_at < cutoff, Report.legal_hold.is_(False))
    if dry_run:
        return db.session.scalar(select(func.count(Report.id)).where(*due))
    result = db.session.execute(delete(Report).where(*due))
    db.session.commit()
    return result.rowcount
