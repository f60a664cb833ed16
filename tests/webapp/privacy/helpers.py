"""Shared by the privacy tests: a resident's whole record with a canary in it, Rasa's tracker table, a scan."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import JSON, String, Text, cast, create_engine, func, or_, select, text

from tests.webapp.diary.test_diary import png_bytes
from tests.webapp.factories import draft_report
from webapp import reports
from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage, Report, SmsConversation, utcnow

# A weekday noon in London: messages the landlord starts go at once, not held for a safe time.
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def at_noon(app) -> None:
    app.config["ASB_CLOCK"] = lambda: NOON


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def backdate(model, row_id: int, **columns) -> None:
    """Set time columns directly (bypassing `onupdate`), as if the row were that old."""
    db.session.execute(model.__table__.update().where(model.__table__.c.id == row_id).values(**columns))
    db.session.commit()
    db.session.expire_all()


def text_message(phone: str, body: str, when: datetime | None = None, status: str = "handled", sid=None):
    message = InboundMessage(
        provider_sid=sid or f"SM{uuid.uuid4().hex}",
        from_number=phone,
        to_number="+447700900999",
        body=body,
        status=status,
    )
    db.session.add(message)
    db.session.commit()
    if when is not None:
        backdate(InboundMessage, message.id, received_at=when)
    return message


def reply(phone: str, body: str, when: datetime | None = None, status: str = "sent", report_id=None, in_reply_to=None):
    message = OutboundMessage(
        to_number=phone,
        body=body,
        status=status,
        report_id=report_id,
        in_reply_to_id=in_reply_to.id if in_reply_to else None,
        dedupe_key=f"test:{uuid.uuid4().hex}",
    )
    db.session.add(message)
    db.session.commit()
    if when is not None:
        backdate(OutboundMessage, message.id, created_at=when)
    return message


def conversation(phone: str, when: datetime | None = None) -> SmsConversation:
    from webapp.sms.conversations import conversation_for

    found = conversation_for(phone)
    if when is not None:
        backdate(SmsConversation, found.id, created_at=when)
    return db.session.get(SmsConversation, found.id)


def with_diary(policy, report: Report, words: str, photo: bytes | None = None):
    from webapp.diary.evidence import store
    from webapp.diary.store import add_entry

    evidence = [store(io.BytesIO(photo))] if photo else []
    return add_entry(
        policy,
        report,
        "web",
        evidence=evidence,
        occurred_at=f"last night ({words})",
        what_happened=f"{words} shouting on the landing",
        who_involved=f"{words} the man at number 4",
        effect="could not sleep",
        police_told=True,
        police_reference="CAD 1234",
    )


def close(policy, report: Report, note: str = "Mediation worked") -> Report:
    code = policy.raw["keeping_informed"]["closure_reasons"][0]["id"]
    reports.close(policy, report, code, note, "tem")
    return report


def whole_record(policy, canary: str, phone: str = "07700 900123", email: str | None = None, **fields) -> Report:
    """A report with the canary typed into everything a resident can type, a note, a diary entry with a photo,
    and a text conversation from their number."""
    from tests.domain.factories import quiet_answers

    draft = draft_report(
        description=f"Music every night {canary}",
        incident_when=f"every night {canary}",
        location=f"the landing {canary}",
        address=f"Flat 3, 12 High Street {canary}",
        responsible=f"the man at number 4 {canary}",
        contact_name=f"Sam {canary}",
        contact_phone=phone,
        contact_email=email,
        safe_times=f"after 6pm {canary}",
        **fields,
    )
    report = reports.submit(policy, draft, quiet_answers(), details={"q9_circumstances": f"my health {canary}"})
    reports.add_note(report, f"Spoke to the resident about {canary}", "tem")
    with_diary(policy, report, canary, photo=png_bytes() + f"{canary} {report.id}".encode())  # a photo of its own
    number = reports_phone(report)
    conversation(number)
    inbound = text_message(number, f"It happened again {canary}")
    reply(number, "Thanks, we have your message.", in_reply_to=inbound)
    return report


def reports_phone(report: Report) -> str:
    from asb_domain.repeats import phone_key

    return phone_key(report.contact_phone)


def tables_holding(needle: str) -> dict[str, int]:
    """Every table with a text, string or JSON column holding `needle`, and in how many rows."""
    found = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        count = db.session.scalar(
            select(func.count()).select_from(table).where(or_(*[cast(c, Text).contains(needle) for c in columns]))
        )
        if count:
            found[table.name] = count
    return found


# --- Rasa's tracker store: the `events` table of SQLTrackerStore (rasa/core/tracker_store.py, Rasa 3.6) ---------

EVENTS_TABLE = """
CREATE TABLE events (
    id INTEGER NOT NULL PRIMARY KEY,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
)
"""


def tracker_db(path, conversations: dict[str, tuple[datetime, str]]) -> str:
    """A SQLite tracker store with, for each sender id, a user message (and the bot's answer) at that time."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text(EVENTS_TABLE))
        conn.execute(text("CREATE INDEX ix_events_sender_id ON events (sender_id)"))
        for sender, (when, words) in conversations.items():
            stamp = when.timestamp()
            rows = [
                ("action", stamp - 1, None, "action_session_start", {"event": "action", "name": "action_listen"}),
                ("user", stamp, "describe", None, {"event": "user", "text": words, "timestamp": stamp}),
                ("bot", stamp + 1, None, None, {"event": "bot", "text": "Thank you. When did it happen?"}),
            ]
            for type_name, at, intent, action, data in rows:
                conn.execute(
                    text(
                        "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                        "VALUES (:s, :t, :at, :i, :a, :d)"
                    ),
                    {"s": sender, "t": type_name, "at": at, "i": intent, "a": action, "d": json.dumps(data)},
                )
    engine.dispose()
    return str(path)


def tracker_senders(path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        senders = {row[0] for row in conn.execute(text("SELECT DISTINCT sender_id FROM events"))}
    engine.dispose()
    return senders


def tracker_holding(path, needle: str) -> int:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM events WHERE data LIKE :n"), {"n": f"%{needle}%"}).scalar()
    engine.dispose()
    return count
