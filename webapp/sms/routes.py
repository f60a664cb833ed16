"""POST /sms/inbound (Twilio's Messaging webhook) and POST /sms/status (delivery callbacks)."""

from __future__ import annotations

import logging

from flask import Response, abort, current_app, request
from sqlalchemy.exc import IntegrityError, OperationalError
from twilio.request_validator import RequestValidator

from webapp.extensions import db
from webapp.models import InboundMessage, utcnow
from webapp.outbound import record_status
from webapp.sms import bp, conversations, spool

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _twiml() -> Response:
    # Replies go out through the outbound interface, never in this response: it must come back at once.
    return Response(EMPTY_TWIML, mimetype="text/xml")


def signed_url() -> str:
    """The URL Twilio signed: the configured public one (behind a proxy), else what this request says."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return request.url
    query = request.query_string.decode()
    return base.rstrip("/") + request.path + (f"?{query}" if query else "")


def require_twilio_signature() -> None:
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    # request.form itself: the validator reads repeated parameters as Twilio signed them.
    if not token or not signature or not RequestValidator(token).validate(signed_url(), request.form, signature):
        abort(403)


MAX_MEDIA = 10  # Twilio sends at most 10 media with one message


def _field(name: str) -> str | None:
    """A parameter as stored: without NUL, which a PostgreSQL text column cannot hold (a signed request with
    one was a 500 there, so Twilio retried it into another 500 and the message was lost). Twilio never sends
    one: GSM-7's 0x00 is '@', and arrives as '@'. Everything else is kept exactly as sent."""
    value = request.form.get(name)
    return value.replace("\x00", "") if value is not None else None


def _media() -> list[str]:
    # NumMedia as Twilio sends it is 0 to 10; anything else (not a number, or 99999999999, which looped for
    # ever over range()) means no more than the MediaUrlN parameters actually sent.
    count = _field("NumMedia") or "0"
    count = min(int(count), MAX_MEDIA) if count.isdecimal() and len(count) <= 3 else MAX_MEDIA
    return [_field(f"MediaUrl{i}") for i in range(count) if _field(f"MediaUrl{i}")]


@bp.post("/inbound")
def inbound():
    require_twilio_signature()
    sid = _field("MessageSid") or _field("SmsSid")
    sender = _field("From")
    if not sid or not sender:
        abort(400)
    fields = {
        "provider_sid": sid[:64],
        "from_number": conversations.number(sender),
        "to_number": (_field("To") or "")[:32] or None,
        "body": _field("Body") or "",
        "media": _media(),
        "received_at": utcnow().isoformat(),
    }
    try:
        if spool.pending():
            spool.ingest()  # texts kept while the store was down go first: a resident's order is kept
        message = _store(fields)
    except OperationalError:
        # The store is down. The text is kept on disk and stored when it is back; danger is told now.
        db.session.rollback()
        spool.tell_danger_now(fields)
        spool.keep(fields)
        logger.warning("store unavailable: an inbound text was spooled")
        return _twiml()
    if message is None:
        return _twiml()  # the same MessageSid again (Twilio's retry): processed once already
    conversations.on_arrival(message)
    return _twiml()


def _store(fields: dict) -> InboundMessage | None:
    """Stored first, before anything else."""
    message = spool.inbound_message(fields)
    db.session.add(message)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return message


@bp.post("/status")
def status():
    require_twilio_signature()
    sid = _field("MessageSid") or _field("SmsSid")
    if sid:
        # Twilio's error codes are five digits; the column holds 32 (a longer one was a 500 on PostgreSQL).
        record_status(sid, (_field("MessageStatus") or "").lower(), (_field("ErrorCode") or "")[:32] or None)
    return "", 204
