"""The one small interface every outbound message goes through.

`TwilioSender` in production; `RecordingSender`, a fake that records what
would have been sent, in tests and by default in `make run`. `send_message`
stores the message first, then sends it, so nothing is lost and the same
message (same dedupe key) is never sent twice.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from flask import current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import OutboundMessage, utcnow


class SendError(Exception):
    def __init__(self, code: str, retryable: bool):
        super().__init__(code)
        self.code = code
        self.retryable = retryable


class Sender(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send `body` to `to`; return the provider's message id or raise SendError."""

    def send_email(self, to: str, subject: str, body: str) -> str:
        """Send an email (the recording fake, or SmtpEmailSender); return its id or raise SendError."""


@dataclass
class Sent:
    to: str
    body: str
    sid: str


@dataclass
class Emailed:
    to: str
    subject: str
    body: str
    sid: str


class RecordingSender:
    """Records messages instead of sending them: for tests and local runs."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.emails: list[Emailed] = []
        self.fail_next: list[SendError] = []  # tests queue failures here: the next sends raise them

    def send(self, to: str, body: str) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        # Unique across processes too: the web app and the SMS workers each have a recording sender, and the
        # store keeps one message per provider id (a per-process counter made the second report a 500).
        sid = f"SMfake{len(self.sent) + 1:08d}{uuid.uuid4().hex[:16]}"
        self.sent.append(Sent(to, body, sid))
        return sid

    def send_email(self, to: str, subject: str, body: str) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        sid = f"EMfake{len(self.emails) + 1:08d}{uuid.uuid4().hex[:16]}"
        self.emails.append(Emailed(to, subject, body, sid))
        return sid


class SmtpEmailSender:
    """Sends email through the landlord's SMTP relay (SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD)."""

    def __init__(self, host: str, port: int, sender: str, user: str | None = None, password: str | None = None):
        self.host, self.port, self.sender, self.user, self.password = host, port, sender, user, password

    def send_email(self, to: str, subject: str, body: str) -> str:
        import smtplib
        from email.message import EmailMessage
        from email.utils import make_msgid

        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message["Message-ID"] = make_msgid()
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=20) as smtp:
                if self.user:
                    smtp.starttls()
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise SendError("smtp-recipient-refused", retryable=False) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"smtp-{type(exc).__name__}", retryable=True) from None
        return message["Message-ID"].strip("<>")[:64]


class TwilioSender:
    """Sends through Twilio's REST API. Configured as Twilio's own examples name it."""

    # Twilio errors that will never succeed on a retry (21610: the number replied STOP).
    PERMANENT = {"21211", "21408", "21610", "21612", "21614"}

    def __init__(
        self, account_sid: str, auth_token: str, from_number=None, messaging_service_sid=None, status_callback=None
    ):
        from twilio.rest import Client

        if not (from_number or messaging_service_sid):
            raise ValueError("set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
        self.client = Client(account_sid, auth_token)
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.status_callback = status_callback  # Twilio reports delivery here (POST /sms/status)

    def send(self, to: str, body: str) -> str:
        from twilio.base.exceptions import TwilioRestException

        origin = (
            {"messaging_service_sid": self.messaging_service_sid}
            if self.messaging_service_sid
            else {"from_": self.from_number}
        )
        if self.status_callback:
            origin["status_callback"] = self.status_callback
        try:
            return self.client.messages.create(to=to, body=body, **origin).sid
        except TwilioRestException as exc:
            code = str(exc.code or exc.status)
            raise SendError(code, retryable=code not in self.PERMANENT) from None


def sender_from_env() -> Sender:
    if os.environ.get("OUTBOUND", "recording") == "twilio":
        return TwilioSender(
            os.environ["TWILIO_ACCOUNT_SID"],
            os.environ["TWILIO_AUTH_TOKEN"],
            os.environ.get("TWILIO_FROM_NUMBER"),
            os.environ.get("TWILIO_MESSAGING_SERVICE_SID"),
            status_callback=(os.environ["PUBLIC_BASE_URL"].rstrip("/") + "/sms/status")
            if os.environ.get("PUBLIC_BASE_URL")
            else None,
        )
    return RecordingSender()


def email_sender_from_env():
    if os.environ.get("SMTP_HOST"):
        return SmtpEmailSender(
            os.environ["SMTP_HOST"],
            int(os.environ.get("SMTP_PORT", "587")),
            os.environ.get("SMTP_FROM", "asb-report@localhost"),
            os.environ.get("SMTP_USER"),
            os.environ.get("SMTP_PASSWORD"),
        )
    return None  # email goes through the SMS sender's recording fake, when that is what is configured


def sender() -> Sender:
    return current_app.extensions["outbound_sender"]


def email_sender():
    return current_app.extensions.get("outbound_email") or sender()


def send_message(
    to: str,
    body: str,
    dedupe_key: str,
    report_id: int | None = None,
    in_reply_to_id: int | None = None,
    *,
    channel: str = "sms",
    subject: str | None = None,
    purpose: str | None = None,
    hold: tuple[datetime | None, str] | None = None,
) -> OutboundMessage:
    """Store the message, then send it once. A repeat with the same dedupe key sends nothing.

    A number that texted STOP is never sent to: the message is kept as `opted_out`.
    A send that fails for a reason that may pass is left `queued` for `retry_queued`.
    `hold` keeps it back (status `held`) until a time, or, with no time, until staff act, and says why.
    """
    existing = db.session.scalar(select(OutboundMessage).where(OutboundMessage.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    message = OutboundMessage(
        to_number=to,
        body=body,
        dedupe_key=dedupe_key,
        report_id=report_id,
        in_reply_to_id=in_reply_to_id,
        channel=channel,
        subject=subject,
        purpose=purpose,
    )
    if hold is not None:
        message.status, message.not_before, message.held_reason = "held", hold[0], hold[1]
    db.session.add(message)
    db.session.commit()
    if hold is None:
        _attempt(message)
    return message


def opted_out(number: str) -> bool:
    from webapp.models import SmsOptOut

    return db.session.get(SmsOptOut, number) is not None


# Seconds before the next try of a failed send: 30 s, 1, 2, 4, 8 minutes... at most an hour; then it has failed.
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
MAX_ATTEMPTS = 10


def _attempt(message: OutboundMessage) -> None:
    from webapp.models import SmsOptOut

    if message.channel == "sms" and opted_out(message.to_number):
        message.status = "opted_out"
        db.session.commit()
        return
    message.attempts += 1
    try:
        if message.channel == "email":
            message.provider_sid = email_sender().send_email(message.to_number, message.subject or "", message.body)
        else:
            message.provider_sid = sender().send(message.to_number, message.body)
        message.status, message.sent_at, message.next_attempt_at = "sent", utcnow(), None
        message.not_before = message.held_reason = None
    except SendError as exc:
        message.last_error_code = exc.code
        if exc.code == "21610" and not opted_out(message.to_number):
            db.session.add(SmsOptOut(phone=message.to_number))  # Twilio says the number replied STOP
        if exc.retryable and message.attempts < MAX_ATTEMPTS:
            delay = min(RETRY_BASE_SECONDS * 2 ** (message.attempts - 1), RETRY_MAX_SECONDS)
            message.status, message.next_attempt_at = "queued", utcnow() + timedelta(seconds=delay)
        else:
            message.status = "failed"
    db.session.commit()


# A worker that took a message to send and died leaves it "sending"; after this long it is tried again.
SENDING_LEASE_SECONDS = 300


def claim_for_sending(message: OutboundMessage, now: datetime | None = None) -> bool:
    """Take a stored message to send, so that of several workers only one sends it (one conditional UPDATE)."""
    from sqlalchemy import update

    now = now or utcnow()
    held = message.status == "held"
    ready = OutboundMessage.status == "held" if held else OutboundMessage.status.in_(("queued", "sending"))
    query = update(OutboundMessage).where(OutboundMessage.id == message.id, ready)
    if not held:
        query = query.where(OutboundMessage.next_attempt_at <= now)
    result = db.session.execute(
        query.values(
            status="sending", next_attempt_at=utcnow() + timedelta(seconds=SENDING_LEASE_SECONDS)
        ).execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(message)
    return result.rowcount == 1


def send_stored(message: OutboundMessage) -> None:
    """Send a message this worker has claimed (claim_for_sending)."""
    _attempt(message)


def retry_queued(now=None) -> int:
    """Send again every queued message whose time has come (and any a dead worker left). Returns how many."""
    now = now or utcnow()
    due = db.session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.status.in_(("queued", "sending")), OutboundMessage.next_attempt_at <= now)
        .order_by(OutboundMessage.id)
    ).all()
    tried = 0
    for message in due:
        if claim_for_sending(message, now):
            _attempt(message)
            tried += 1
    return tried


# Twilio's delivery statuses in the order they happen; a late callback never moves a message back.
STATUS_ORDER = [
    "queued",
    "accepted",
    "sending",
    "sent",
    "receiving",
    "received",
    "delivered",
    "undelivered",
    "failed",
    "read",
]


def record_status(provider_sid: str, status: str, error_code: str | None) -> bool:
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.provider_sid == provider_sid))
    if message is None or status not in STATUS_ORDER:
        return False
    if message.status not in STATUS_ORDER or STATUS_ORDER.index(status) > STATUS_ORDER.index(message.status):
        message.status = status
    if error_code:
        message.last_error_code = error_code
    db.session.commit()
    return True
