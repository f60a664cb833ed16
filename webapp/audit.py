"""The audit log: who looked at or did what to which report, and when. Never the report's content."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import AuditEvent


def record(actor: str, action: str, report_id: int | None = None, detail: str | None = None) -> None:
    db.session.add(AuditEvent(actor=actor, action=action, report_id=report_id, detail=detail))
    db.session.commit()
