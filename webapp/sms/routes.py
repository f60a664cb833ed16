"""POST /sms/inbound (Twilio's Messaging webhook) and POST /sms/status (delivery callbacks)."""

from __future__ import annotations

from flask import Response, abort, current_app, request
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator

from webapp.extensions import db
from webapp.models import InboundMessage
from webapp.outbound import record_status
from webapp.sms import bp, conversations

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


@bp.post("/inbound")
def inbound():
    require_twilio_signature()
    sid = request.form.get("MessageSid") or request.form.get("SmsSid")
    sender = request.form.get("From")
    if not sid or not sender:
        abort(400)
    media = [
        request.form[f"MediaUrl{i}"]
        for i in range(int(request.form.get("NumMedia", "0") or 0))
        if f"MediaUrl{i}" in request.form
    ]
    # Stored first, before anything else; only what is needed (never FromCity, FromZip and the like).
    message = InboundMessage(
        channel="sms",
        provider_sid=sid[:64],
        from_number=conversations.number(sender),
        to_number=(request.form.get("To") or "")[:32] or None,
        body=request.form.get("Body", ""),
        media=media,
        status="received",
    )
    db.session.add(message)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same MessageSid again (Twilio's retry): processed once already
        return _twiml()
    conversations.on_arrival(message)
    return _twiml()


@bp.post("/status")
def status():
    require_twilio_signature()
    sid = request.form.get("MessageSid") or request.form.get("SmsSid")
    if sid:
        record_status(sid, (request.form.get("MessageStatus") or "").lower(), request.form.get("ErrorCode"))
    return "", 204
