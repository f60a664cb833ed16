"""The SMS webhook's edges, on SQLite and PostgreSQL: signatures behind a proxy, status callbacks, failed sends."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from webapp.extensions import db
from webapp.models import InboundMessage, SmsOptOut, utcnow
from webapp.outbound import SendError, retry_queued, send_message

TOKEN = "test-twilio-auth-token"


def signed_post(client, path, params, url):
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def text(body="hello", sid="SM1", number="+447700900001"):
    return {"MessageSid": sid, "From": number, "To": "+447700900000", "Body": body, "NumMedia": "0", "FromZip": "X1"}


def test_behind_a_proxy_the_signature_is_checked_against_the_public_url(app, client):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL="https://asb.example.org")
    assert signed_post(client, "/sms/inbound", text(sid="SMa"), "http://localhost/sms/inbound").status_code == 403
    response = signed_post(client, "/sms/inbound", text(sid="SMb"), "https://asb.example.org/sms/inbound")
    assert response.status_code == 200
    assert response.mimetype == "text/xml" and b"<Response></Response>" in response.data
    stored = db.session.scalars(select(InboundMessage)).all()
    assert [m.provider_sid for m in stored] == ["SMb"]  # the refused one is stored nowhere


def test_tampered_parameters_break_the_signature(app, client):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    params = text(sid="SMc")
    signature = RequestValidator(TOKEN).compute_signature("http://localhost/sms/inbound", params)
    tampered = {**params, "Body": "something else"}
    response = client.post("/sms/inbound", data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_caller_location_fields_are_not_kept(app, client):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    signed_post(client, "/sms/inbound", text(sid="SMd"), "http://localhost/sms/inbound")
    message = db.session.scalar(select(InboundMessage))
    assert "X1" not in repr(message.__dict__)


def test_status_callbacks_update_the_message_and_a_late_one_never_moves_it_back(app, client):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    message = send_message("+447700900002", "hello", dedupe_key="t1")
    url = "http://localhost/sms/status"
    signed_post(client, "/sms/status", {"MessageSid": message.provider_sid, "MessageStatus": "delivered"}, url)
    signed_post(client, "/sms/status", {"MessageSid": message.provider_sid, "MessageStatus": "sent"}, url)
    db.session.refresh(message)
    assert message.status == "delivered"
    assert client.post("/sms/status", data={"MessageSid": message.provider_sid}).status_code == 403


def test_a_failed_send_is_retried_with_back_off_and_sent_once(app):
    sender = app.extensions["outbound_sender"]
    sender.fail_next.append(SendError("20429", retryable=True))  # Twilio: too many requests
    message = send_message("+447700900003", "your reference", dedupe_key="t2")
    assert message.status == "queued" and message.attempts == 1
    assert retry_queued(utcnow()) == 0  # not before its time
    assert retry_queued(utcnow() + timedelta(minutes=1)) == 1
    assert message.status == "sent"
    assert retry_queued(utcnow() + timedelta(hours=2)) == 0
    assert send_message("+447700900003", "your reference", dedupe_key="t2").id == message.id
    assert [s.body for s in sender.sent if s.to == "+447700900003"] == ["your reference"]


def test_a_number_that_replied_stop_is_never_retried_nor_sent_to_again(app):
    sender = app.extensions["outbound_sender"]
    sender.fail_next.append(SendError("21610", retryable=False))
    message = send_message("+447700900004", "question", dedupe_key="t3")
    assert message.status == "failed"
    assert db.session.get(SmsOptOut, "+447700900004") is not None
    later = send_message("+447700900004", "another", dedupe_key="t4")
    assert later.status == "opted_out" and later.attempts == 0
    assert not [s for s in sender.sent if s.to == "+447700900004"]


def test_messages_list_shows_what_came_in_and_went_out_with_status(app, client):
    import json

    from webapp.sms.cli import list_messages

    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    signed_post(client, "/sms/inbound", text(body="HELP", sid="SMe"), "http://localhost/sms/inbound")
    result = app.test_cli_runner().invoke(list_messages, ["--json"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["direction"], r["status"]) for r in rows] == [("in", "handled"), ("out", "sent")]
    assert rows[0]["sid"] == "SMe"
