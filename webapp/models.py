"""The report store: SQLAlchemy 2 models. Schema changes go through Alembic (migrations/).

Reports hold health, disability, ethnicity and abuse: nothing here is ever
logged. Times are stored timezone-aware in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTimeType(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite keeps no timezone and hands back naive datetimes; PostgreSQL hands
    back aware ones. Store UTC, and always read back an aware UTC datetime.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store timezone-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UTCDateTime = UTCDateTimeType()


class Report(db.Model):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Given when the report is submitted; a draft has none.
    reference: Mapped[str | None] = mapped_column(String(9), unique=True)
    status: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    channel: Mapped[str] = mapped_column(String(8))  # web, chat, sms, phone
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # What is happening, in the resident's own words, and how it was screened.
    description: Mapped[str | None] = mapped_column(Text)
    triage_outcome: Mapped[str | None] = mapped_column(String(16))  # emergency, not_asb, asb
    screened_matter: Mapped[str | None] = mapped_column(String(64))  # a not-ASB matter the resident went on past
    asb_signs: Mapped[list] = mapped_column(JSON, default=list)  # why it is ASB after all
    category: Mapped[str | None] = mapped_column(String(32))
    case_type: Mapped[str | None] = mapped_column(String(64))

    # When, where, who.
    incident_when: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    responsible: Mapped[str | None] = mapped_column(Text)

    # Who is reporting: the resident, or someone on their behalf.
    reporter_relationship: Mapped[str] = mapped_column(String(32), default="self")
    reporter_name: Mapped[str | None] = mapped_column(Text)

    # How and when it is safe to contact them.
    contact_name: Mapped[str | None] = mapped_column(Text)
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    no_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    text_safe: Mapped[bool | None] = mapped_column(Boolean)
    call_safe: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_safe: Mapped[bool | None] = mapped_column(Boolean)
    email_safe: Mapped[bool | None] = mapped_column(Boolean)
    safe_times: Mapped[str | None] = mapped_column(Text)  # anything else the resident said, in their words
    # When it is safe (asb_domain.informing.SafeTimes): {"periods": [...], "days": ...}; None is any time.
    contact_windows: Mapped[dict | None] = mapped_column(JSON)
    consent_to_share: Mapped[bool | None] = mapped_column(Boolean)
    # How often the resident hears from their officer (a policy update frequency id).
    update_frequency: Mapped[str | None] = mapped_column(String(32))

    # A report in progress: RAM answers given so far, and the hash of the code
    # that lets the resident come back to it (the code itself is never stored).
    draft: Mapped[dict] = mapped_column(JSON, default=dict)
    resume_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A report handed over by the bot carries its conversation's key: sent twice, it is stored once.
    submission_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    # Normalised keys for repeat-victim matching (asb_domain.repeats).
    contact_key: Mapped[str | None] = mapped_column(String(254), index=True)
    address_key: Mapped[str | None] = mapped_column(String(254), index=True)

    # Set by the domain core at submission.
    ram_total: Mapped[int | None] = mapped_column(Integer)
    risk_level: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[str | None] = mapped_column(String(16))
    priority_rank: Mapped[int | None] = mapped_column(Integer, index=True)  # 0 is most urgent
    priority_reasons: Mapped[list] = mapped_column(JSON, default=list)
    overrides: Mapped[list] = mapped_column(JSON, default=list)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    handling_role: Mapped[str | None] = mapped_column(String(64), index=True)
    acknowledge_by: Mapped[date | None] = mapped_column(Date, index=True)
    repeat_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_references: Mapped[list] = mapped_column(JSON, default=list)
    case_review_eligible: Mapped[bool] = mapped_column(Boolean, default=False)

    # What staff have done.
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    assigned_to: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str | None] = mapped_column(Text)  # staff's own words, never sent to the resident
    closure_code: Mapped[str | None] = mapped_column(String(32))  # the policy's closure reason the resident is told

    # Keeping the resident informed: who their officer is, and when they must next hear from us.
    officer_told: Mapped[str | None] = mapped_column(String(120))  # the officer the resident was last told of
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_update_due: Mapped[date | None] = mapped_column(Date, index=True)

    # Privacy: a report held for legal proceedings is never deleted or anonymised (webapp/retention.py,
    # webapp/subject.py) until staff release it; the reason is staff's, never shown to the resident.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(Text)
    # When the resident's words and details were removed (retention, or erasure on request).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answers: Mapped[list[RamAnswer]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="RamAnswer.number"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    diary: Mapped[list[DiaryEntry]] = relationship(back_populates="report", order_by="DiaryEntry.seq")

    def __init__(self, **fields):
        # Column defaults apply only on insert; a new report is a draft from the start.
        fields.setdefault("status", "draft")
        fields.setdefault("reporter_relationship", "self")
        fields.setdefault("draft", {})
        fields.setdefault("legal_hold", False)
        super().__init__(**fields)

    def __repr__(self) -> str:  # never the content: reprs end up in logs
        return f"<Report {self.id} {self.status}>"


class RamAnswer(db.Model):
    """One RAM question's answer on a report, with the score the domain core gave it."""

    __tablename__ = "ram_answers"
    __table_args__ = (UniqueConstraint("report_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    options: Mapped[list] = mapped_column(JSON, default=list)  # empty: skipped
    score: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[bool | None] = mapped_column(Boolean)  # may we talk to them?

    report: Mapped[Report] = relationship(back_populates="answers")


class CaseEvent(db.Model):
    """The history of a case on the queue: submitted, acknowledged, assigned, noted, closed."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))  # a staff username, "resident" or "system"
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="events")


class DiaryEntry(db.Model):
    """An incident diary entry: evidence, append-only, hash-chained per case."""

    __tablename__ = "diary_entries"
    __table_args__ = (UniqueConstraint("report_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(8))
    occurred_at: Mapped[str | None] = mapped_column(Text)  # as the resident gave it
    what_happened: Mapped[str] = mapped_column(Text)
    who_involved: Mapped[str | None] = mapped_column(Text)
    effect: Mapped[str | None] = mapped_column(Text)
    police_told: Mapped[bool | None] = mapped_column(Boolean)
    police_reference: Mapped[str | None] = mapped_column(String(64))
    corrects_seq: Mapped[int | None] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    report: Mapped[Report] = relationship(back_populates="diary")
    evidence: Mapped[list[DiaryEvidence]] = relationship(back_populates="entry", order_by="DiaryEvidence.id")


class DiaryEvidence(db.Model):
    """A photo, video or sound recording with a diary entry: the file outside the database, its hash in it."""

    __tablename__ = "diary_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("diary_entries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # image, video, audio, or mms (a Twilio media URL)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    stored_as: Mapped[str | None] = mapped_column(String(80))  # file name under the evidence folder: <sha256>.<ext>
    url: Mapped[str | None] = mapped_column(Text)  # MMS: where Twilio holds it

    entry: Mapped[DiaryEntry] = relationship(back_populates="evidence")


class InboundMessage(db.Model):
    """A message received (SMS), stored before anything else is done with it."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), default="sms")
    provider_sid: Mapped[str] = mapped_column(String(64), unique=True)  # Twilio MessageSid: dedupes retries
    from_number: Mapped[str] = mapped_column(String(32), index=True)
    to_number: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[list] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))  # an error class, never content
    # The 999 advice went back at once from the policy alone; the bot need not repeat it.
    danger_told: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"<InboundMessage {self.id} {self.status}>"


class SmsConversation(db.Model):
    """One resident's number, talking to the bot by text. Rasa knows it only as "sms-<id>", never the number."""

    __tablename__ = "sms_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), unique=True)  # normalised (asb_domain.repeats.phone_key)
    language: Mapped[str | None] = mapped_column(String(8))  # None until detected or chosen
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The SMS worker handling this number's texts, and until when (webapp.sms.claims): one at a time, in order.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def sender_id(self) -> str:
        return f"sms-{self.id}"

    def __repr__(self) -> str:  # never the number
        return f"<SmsConversation {self.id}>"


class SmsOptOut(db.Model):
    """A number that texted STOP: nothing is sent to it until it texts START."""

    __tablename__ = "sms_opt_outs"

    phone: Mapped[str] = mapped_column(String(32), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboundMessage(db.Model):
    """A message to a resident, sent through the outbound interface and retried until it goes."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), default="sms")  # sms or email
    to_number: Mapped[str] = mapped_column(String(254), index=True)  # a phone number, or an email address
    body: Mapped[str] = mapped_column(Text)
    # One reply per cause: the same key is never sent twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_code: Mapped[str | None] = mapped_column(String(32))
    # Messages the landlord starts (acknowledgement, update, closure, survey...): what for, and, while it
    # waits for the resident's safe time, when it may go and why it waits.
    purpose: Mapped[str | None] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(200))  # email only
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    held_reason: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<OutboundMessage {self.id} {self.status}>"


class SatisfactionSurvey(db.Model):
    """The short survey after a case closes, by the resident's safe channel: by text, or on a web page."""

    __tablename__ = "satisfaction_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), unique=True)
    channel: Mapped[str] = mapped_column(String(8))  # sms or web
    phone: Mapped[str | None] = mapped_column(String(32), index=True)  # by text: the number that answers
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # web: the link's token, hashed
    status: Mapped[str] = mapped_column(String(16), default="sent", index=True)  # sent, completed, declined
    next_question: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question id -> option id
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    report: Mapped[Report] = relationship()

    def __repr__(self) -> str:
        return f"<SatisfactionSurvey {self.id} {self.status}>"


class StaffUser(db.Model):
    """A member of the landlord's staff. Roles come from the policy, plus admin and contact_centre."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id a session carries: signing out moves it on, so every cookie of the account (a copied or
    # stolen one too) stops working at once, though the session itself lives in the signed cookie.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version or 0}"

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"


class ApiToken(db.Model):
    """A CRM's bearer token. Only its hash is stored; revoked tokens stay for the record."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(db.Model):
    """Every staff or CRM view of, and action on, a report. Append-only."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(160))  # "staff:<username>" or "api:<token name>"
    action: Mapped[str] = mapped_column(String(40))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    detail: Mapped[str | None] = mapped_column(String(200))  # never report content
