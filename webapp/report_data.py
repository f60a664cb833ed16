"""A report as data: what the staff pages, the CSV export and the CRM API show. One shape for all three."""

from __future__ import annotations

from asb_domain.policy import Policy
from asb_domain.references import format_reference
from webapp.models import Report


def _iso(value):
    return value.isoformat() if value is not None else None


def contact_safety(report: Report) -> dict:
    return {
        "no_contact": report.no_contact,
        "text_safe": bool(report.text_safe),
        "call_safe": bool(report.call_safe),
        "voicemail_safe": bool(report.voicemail_safe),
        "email_safe": bool(report.email_safe),
        "safe_times": report.safe_times,
        "windows": report.contact_windows,
        "name": report.contact_name,
        "phone": report.contact_phone,
        "email": report.contact_email,
    }


def report_summary(report: Report) -> dict:
    return {
        "reference": format_reference(report.reference),
        "status": report.status,
        "channel": report.channel,
        "language": report.language,
        "submitted_at": _iso(report.submitted_at),
        "updated_at": _iso(report.updated_at),
        "category": report.category,
        "case_type": report.case_type,
        "priority": report.priority,
        "risk_level": report.risk_level,
        "ram_total": report.ram_total,
        "handling_role": report.handling_role,
        "acknowledge_by": report.acknowledge_by.isoformat() if report.acknowledge_by else None,
        "acknowledged_at": _iso(report.acknowledged_at),
        "acknowledged_by": report.acknowledged_by,
        "assigned_to": report.assigned_to,
        "update_frequency": report.update_frequency,
        "next_update_due": report.next_update_due.isoformat() if report.next_update_due else None,
    }


def report_detail(policy: Policy, report: Report) -> dict:
    answers = []
    for answer in report.answers:
        question = policy.question(answer.question_id)
        answers.append(
            {
                "question_id": answer.question_id,
                "number": answer.number,
                "question": question.text,
                "answers": answer.options,
                "answer_labels": [question.option(o).label for o in answer.options],
                "score": answer.score,
                "details": answer.details,
                "consent_to_contact": answer.consent,
            }
        )
    return {
        **report_summary(report),
        "contact": contact_safety(report),
        "description": report.description,
        "screened_matter": report.screened_matter,
        "asb_signs": report.asb_signs,
        "incident_when": report.incident_when,
        "location": report.location,
        "address": report.address,
        "postcode": report.postcode,
        "responsible": report.responsible,
        "reporter": {"relationship": report.reporter_relationship, "name": report.reporter_name},
        "consent_to_share": report.consent_to_share,
        "ram": {
            "total": report.ram_total,
            "band": report.risk_level,
            "answers": answers,
            "overrides": report.overrides,
            "priority_reasons": report.priority_reasons,
        },
        "flags": {
            "hate": "hate" in report.flags,
            "domestic_abuse": "domestic_abuse" in report.flags,
            "repeat_victim": report.repeat_victim,
            "linked_reports": [format_reference(r) for r in report.linked_references],
            "case_review_eligible": report.case_review_eligible,
        },
        "closed_at": _iso(report.closed_at),
        "closed_reason": report.closed_reason,
        "closure_code": report.closure_code,
        "officer_told": report.officer_told,
        "last_update_at": _iso(report.last_update_at),
        "diary": [
            {
                "seq": e.seq,
                "received_at": _iso(e.received_at),
                "channel": e.channel,
                "occurred_at": e.occurred_at,
                "what_happened": e.what_happened,
                "who_involved": e.who_involved,
                "effect": e.effect,
                "police_told": e.police_told,
                "police_reference": e.police_reference,
            }
            for e in report.diary
        ],
        "history": [{"at": _iso(e.at), "by": e.actor, "kind": e.kind, "detail": e.detail} for e in report.events],
    }
