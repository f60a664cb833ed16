"""POST /api/v1/reports: how the bot (web chat and SMS) hands a finished report to the case queue.

The same path as the web form from here on: a Report is built and
`reports.submit` asks the domain core for the score, priority and dates. Only
the service token (ASB_SERVICE_TOKEN, shared with the action server) may
submit; CRM tokens read and acknowledge. A report sent twice with the same
`submission_key` is stored once.
"""

from __future__ import annotations

import hmac

import jsonschema
from flask import current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from asb_domain.ram import InvalidAnswer, score_answers
from asb_domain.references import format_reference
from webapp import current_policy, reports
from webapp.api import bp
from webapp.api.openapi import REPORT_IN, SUBMITTED
from webapp.api.routes import problem
from webapp.api.tokens import token_for
from webapp.confirmation import hear_by, send_confirmation
from webapp.extensions import db
from webapp.models import Report, SmsConversation

# Taken as they are, from the body and from its "contact".
REPORT_FIELDS = (
    "triage_outcome",
    "screened_matter",
    "case_type",
    "incident_when",
    "location",
    "address",
    "postcode",
    "responsible",
)
CONTACT_FIELDS = {
    "name": "contact_name",
    "phone": "contact_phone",
    "email": "contact_email",
    "text_safe": "text_safe",
    "call_safe": "call_safe",
    "voicemail_safe": "voicemail_safe",
    "email_safe": "email_safe",
    "safe_times": "safe_times",
}


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def _conversation(sender_id: str) -> SmsConversation | None:
    """The conversation "sms-<id>" names. The schema allows 12 digits; an id past a 32-bit integer was a 500
    on PostgreSQL ("integer out of range"), found by fuzzing: there is no such conversation."""
    conversation_id = int(sender_id.removeprefix("sms-"))
    return db.session.get(SmsConversation, conversation_id) if conversation_id <= MAX_ID else None


def _by_key(key: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.submission_key == key))


def _is_service(header: str | None) -> bool:
    expected = current_app.config.get("ASB_SERVICE_TOKEN")
    if not expected or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), expected.encode())


def _answer(report: Report, created: bool):
    body = {
        "reference": format_reference(report.reference),
        "acknowledge_by": report.acknowledge_by.isoformat(),
        "hear_by": hear_by(report),
        "priority": report.priority,
        "risk_level": report.risk_level,
        "ram_total": report.ram_total,
        "created": created,
    }
    return jsonify(body), 201 if created else 200


def _schema_problem(body, schema: dict) -> str | None:
    """Where the body breaks the schema, without echoing what it holds."""
    try:
        jsonschema.validate(body, schema)
    except jsonschema.ValidationError as exc:
        return f"{'.'.join(str(p) for p in exc.absolute_path) or 'body'}: {exc.validator} check failed"
    return None


def _semantic_problems(body: dict) -> str | None:
    policy = current_policy()
    if body.get("case_type") is not None and body["case_type"] not in policy.case_types:
        return "case_type is not one of the policy's case types"
    if body.get("screened_matter") is not None and body["screened_matter"] not in policy.not_asb:
        return "screened_matter is not one of the policy's matters"
    informed = policy.raw["keeping_informed"]
    if body.get("update_frequency") is not None and body["update_frequency"] not in {
        f["id"] for f in informed["update_frequencies"]
    }:
        return "update_frequency is not one of the policy's update frequencies"
    windows = (body.get("contact") or {}).get("windows") or {}
    if not set(windows.get("periods") or []) <= {p["id"] for p in informed["periods"]}:
        return "contact.windows.periods must be the policy's periods"
    if windows.get("days") is not None and windows["days"] not in {d["id"] for d in informed["days"]}:
        return "contact.windows.days must be one of the policy's days"
    signs = set(policy.ids("asb_signs"))
    if not set(body.get("asb_signs") or []) <= signs:
        return "asb_signs must be the policy's signs"
    try:
        score_answers(policy, {q: a.get("options") or [] for q, a in (body.get("ram") or {}).items()})
    except InvalidAnswer as exc:
        return str(exc)
    return None


def without_nul(value):
    """The body with NUL left out of every string (keys too), before the schema is checked: a PostgreSQL text
    column cannot hold one, so a NUL anywhere was a 500 there. Checked after, a description of only NUL is
    empty and refused, as the web form refuses it. The bot relays what residents typed; nothing else is
    changed."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


@bp.post("/reports")
def submit_report():
    if not _is_service(request.headers.get("Authorization")):
        # A CRM token is valid but may not submit; anything else is not a token at all.
        if token_for(request.headers.get("Authorization")) is not None:
            return problem(403, "this token may not submit reports")
        return problem(401, "unauthorized")
    body = without_nul(request.get_json(silent=True))
    wrong = _schema_problem(body, REPORT_IN) or _semantic_problems(body)
    if wrong:
        return problem(400, wrong)

    existing = _by_key(body["submission_key"])
    if existing is not None:
        return _answer(existing, created=False)

    contact = body.get("contact") or {}
    report = Report(
        channel=body["channel"],
        language=body["language"],
        submission_key=body["submission_key"],
        description=body["description"],
        asb_signs=body.get("asb_signs") or [],
        no_contact=bool(contact.get("no_contact", True)),
        consent_to_share=bool(body.get("consent_to_share")),
        contact_windows=contact.get("windows"),
        update_frequency=body.get("update_frequency"),
        **{field: body.get(field) for field in REPORT_FIELDS},
        **{column: contact.get(key) for key, column in CONTACT_FIELDS.items()},
    )
    if body.get("sms_conversation") and body["channel"] == "sms":
        conversation = _conversation(body["sms_conversation"])
        if conversation is not None and not report.contact_phone:
            report.contact_phone = conversation.phone
    ram = body.get("ram") or {}
    answers = {q: a.get("options") or [] for q, a in ram.items()}
    details = {q: a["details"] for q, a in ram.items() if a.get("details")}
    consents = {q: a["consent"] for q, a in ram.items() if a.get("consent") is not None}
    try:
        flags = ["danger_in_conversation"] if body.get("danger_in_conversation") else []
        reports.submit(current_policy(), report, answers, details, consents, actor="resident", flags=flags)
    except IntegrityError:
        # The same submission arrived twice at once: the other one stored it.
        db.session.rollback()
        existing = _by_key(body["submission_key"])
        if existing is None:
            raise
        return _answer(existing, created=False)
    send_confirmation(report)
    return _answer(report, created=True)


__all__ = ["submit_report", "SUBMITTED"]


DIARY_IN = {
    "type": "object",
    "required": ["sms_conversation", "what_happened"],
    "additionalProperties": False,
    "properties": {
        "sms_conversation": {"type": "string", "pattern": "^sms-[0-9]{1,12}$"},
        "occurred_at": {"type": ["string", "null"], "maxLength": 200},
        "what_happened": {"type": "string", "minLength": 1, "maxLength": 5000},
        "who_involved": {"type": ["string", "null"], "maxLength": 5000},
        "effect": {"type": ["string", "null"], "maxLength": 5000},
        "police_told": {"type": ["boolean", "null"]},
        "police_reference": {"type": ["string", "null"], "maxLength": 64},
        "media": {"type": "array", "items": {"type": "string", "maxLength": 2000}, "maxItems": 10},
    },
}


def _mms_since_last_entry(phone: str, report: Report) -> list:
    """Photos or videos the resident sent by MMS while telling us about this incident: recorded by their URL."""
    from webapp.models import DiaryEvidence, InboundMessage

    since = report.diary[-1].received_at if report.diary else report.submitted_at
    rows = db.session.scalars(
        select(InboundMessage).where(InboundMessage.from_number == phone, InboundMessage.received_at >= since)
    )
    return [DiaryEvidence(kind="mms", content_type="unknown", url=url) for row in rows for url in (row.media or [])]


@bp.post("/diary")
def add_diary_entry():
    """A diary entry by text: added to the open case of the number the resident texts from."""
    from webapp.diary.store import add_entry, open_case_for

    if not _is_service(request.headers.get("Authorization")):
        return problem(401, "unauthorized")
    body = without_nul(request.get_json(silent=True))
    wrong = _schema_problem(body, DIARY_IN)
    if wrong:
        return problem(400, wrong)
    conversation = _conversation(body["sms_conversation"])
    report = open_case_for(conversation.phone) if conversation else None
    if report is None:
        return problem(404, "no open case for this number")
    entry = add_entry(
        current_policy(),
        report,
        "sms",
        evidence=_mms_since_last_entry(conversation.phone, report),
        occurred_at=body.get("occurred_at"),
        what_happened=body["what_happened"],
        who_involved=body.get("who_involved"),
        effect=body.get("effect"),
        police_told=body.get("police_told"),
        police_reference=body.get("police_reference"),
    )
    return jsonify({"entry": entry.seq}), 201
