"""Saving and submitting reports, and the case queue.

Every channel submits through `submit`, which asks the domain core for the
score, priority, acknowledge-by date and repeat-victim check, and stores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import or_, select

from asb_domain.intake import decide
from asb_domain.policy import Policy
from asb_domain.references import new_reference, parse_reference
from asb_domain.repeats import PastReport
from webapp.extensions import db
from webapp.models import CaseEvent, RamAnswer, Report, utcnow

SUBMITTED_STATUSES = ("submitted", "acknowledged", "closed_resolved", "closed_unresolved")


def _earlier_reports(person: str | None, home: str | None, since) -> list[PastReport]:
    keys = []
    if person:
        keys.append(Report.contact_key == person)
    if home:
        keys.append(Report.address_key == home)
    rows = db.session.scalars(
        select(Report).where(
            Report.status.in_(SUBMITTED_STATUSES),
            Report.submitted_at >= since,
            or_(*keys),
        )
    )
    return [PastReport(r.reference, r.submitted_at, r.contact_key, r.address_key, r.status) for r in rows]


def submit(
    policy: Policy,
    report: Report,
    answers: Mapping[str, str | Iterable[str] | None],
    details: Mapping[str, str] | None = None,
    consents: Mapping[str, bool] | None = None,
    actor: str = "resident",
    flags: Iterable[str] = (),
) -> Report:
    """Score and submit a report: it joins the case queue with a reference.

    `flags` are the channel's own, beside the assessment's: "danger_in_conversation" when the resident told
    the bot of danger in the middle of its questions."""
    if report.status != "draft":
        raise ValueError("only a draft report can be submitted")
    received = utcnow()
    decision = decide(
        policy,
        answers=answers,
        case_type=report.case_type,
        received_at=received,
        phone=report.contact_phone,
        email=report.contact_email,
        address=report.address,
        postcode=report.postcode,
        earlier=_earlier_reports,
    )
    a = decision.assessment
    details, consents = details or {}, consents or {}
    report.answers = [
        RamAnswer(
            question_id=s.question_id,
            number=s.number,
            options=list(s.options),
            score=s.score,
            details=details.get(s.question_id),
            consent=consents.get(s.question_id),
        )
        for s in a.breakdown
    ]
    report.category = decision.category
    report.ram_total = a.total
    report.risk_level = a.band
    report.priority = a.priority
    report.priority_rank = list(policy.priorities).index(a.priority)
    report.priority_reasons = a.priority_reasons
    report.overrides = [o.id for o in a.overrides]
    report.flags = list(dict.fromkeys([*a.flags, *flags]))
    report.handling_role = a.handling_role
    report.acknowledge_by = decision.acknowledge_by
    report.contact_key = decision.contact_key
    report.address_key = decision.address_key
    report.repeat_victim = decision.repeats.repeat_victim
    report.linked_references = list(decision.repeats.linked)
    report.case_review_eligible = decision.repeats.case_review_eligible
    report.submitted_at = received
    report.status = "submitted"
    report.events.append(CaseEvent(actor=actor, kind="submitted", detail=f"via {report.channel}"))
    if report.id is None:
        db.session.add(report)
    _commit_with_new_reference(report)
    return report


def _commit_with_new_reference(report: Report) -> None:
    """Give the report a reference no other report has, and commit.

    Drawn from 10^8, a clash is rare: draw again until the store has no such
    reference. The unique constraint still guards the tiny race between two
    submissions drawing the same new reference at the same instant.
    """
    reference = new_reference()
    while db.session.scalar(select(Report.id).where(Report.reference == reference)) is not None:
        reference = new_reference()
    report.reference = reference
    db.session.commit()


def find_submitted(reference: str) -> Report | None:
    """A submitted report by its reference however it was typed; never a draft."""
    canonical = parse_reference(reference)
    if canonical is None:
        return None
    return db.session.scalar(select(Report).where(Report.reference == canonical, Report.status.in_(SUBMITTED_STATUSES)))


def queue(role: str | None = None, statuses: Iterable[str] = ("submitted", "acknowledged"), **filters: str):
    """The case queue: most urgent priority first, then the earliest acknowledge-by date.

    `role` limits it to the reports routed to that handling role; `filters` match
    columns exactly (risk_level, category, handling_role).
    """
    query = select(Report).where(Report.status.in_(tuple(statuses)))
    if role:
        query = query.where(Report.handling_role == role)
    for column, value in filters.items():
        if value:
            query = query.where(getattr(Report, column) == value)
    return db.session.scalars(query.order_by(Report.priority_rank, Report.acknowledge_by, Report.submitted_at)).all()


# --- what staff and CRMs do to a report on the queue --------------------------------


def acknowledge(report: Report, by: str, officer: str | None = None) -> bool:
    """Record who acknowledged the report and when (the response-time measure). A repeat changes nothing.

    The resident hears who their officer is: the one assigned, else `officer`, else whoever acknowledged.
    """
    from webapp import informing

    if report.acknowledged_at is not None:
        return False
    report.acknowledged_at = utcnow()
    report.acknowledged_by = by
    if report.status == "submitted":
        report.status = "acknowledged"
    if report.assigned_to is None and officer:
        report.assigned_to = officer
    report.events.append(CaseEvent(actor=by, kind="acknowledged"))
    db.session.commit()
    informing.on_acknowledged(report, report.assigned_to or by)
    return True


def assign(report: Report, officer: str, by: str) -> None:
    """A new officer; once the resident has been told of one, they hear of the change."""
    from webapp import informing

    report.assigned_to = officer
    report.events.append(CaseEvent(actor=by, kind="assigned", detail=officer))
    db.session.commit()
    informing.on_officer_changed(report, officer)


def add_note(report: Report, note: str, by: str) -> None:
    report.events.append(CaseEvent(actor=by, kind="note", detail=note))
    report.updated_at = utcnow()
    db.session.commit()


def close(policy: Policy, report: Report, closure_code: str, note: str, by: str) -> None:
    """Close with one of the policy's closure reasons (what the resident is told) and staff's own note."""
    from asb_domain.informing import closure_reason
    from webapp import informing

    reason = closure_reason(policy, closure_code)
    report.status = "closed_resolved" if reason["resolved"] else "closed_unresolved"
    report.closed_at = utcnow()
    report.closed_reason = note
    report.closure_code = closure_code
    report.events.append(CaseEvent(actor=by, kind="closed", detail=f"{closure_code}: {note}"))
    db.session.commit()
    informing.on_closed(report)
