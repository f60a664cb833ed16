"""The store goes down (PostgreSQL behind a TCP proxy that is cut): texts are kept, danger is told at once,
and everything goes on, in order and once, when it is back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from tests.tcp_proxy import TcpProxy
from tests.webapp.sms.test_webhook import TOKEN, signed_post
from tests.webapp.sms.test_webhook import text as a_text
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage, utcnow
from webapp.sms.conversations import process_pending

URL = "http://localhost/sms/inbound"
DANGER = "he is hitting me right now and has a knife"


@pytest.fixture
def store_behind_proxy(postgres_url, tmp_path):
    server = make_url(postgres_url)
    proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432).start()

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = server.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 3}}
        TWILIO_AUTH_TOKEN = TOKEN
        SMS_SPOOL_DIR = str(tmp_path / "spool")

    app = create_app(Config)
    with app.app_context():
        upgrade()
        yield app, proxy, tmp_path / "spool"
        if not proxy.listening:
            proxy.restore()
        db.session.remove()
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    proxy.cut()


def sent_to(app, number):
    return [m.body for m in app.extensions["outbound_sender"].sent if m.to == number]


@pytest.mark.postgres
def test_texts_that_arrive_while_the_database_is_down_are_kept_and_stored_once_in_order_when_it_is_back(
    store_behind_proxy,
):
    app, proxy, spool = store_behind_proxy
    client = app.test_client()
    number = "+447700900061"
    assert signed_post(client, "/sms/inbound", a_text("hello", "SMup1", number), URL).status_code == 200

    proxy.cut()  # the database goes away
    answers = [
        signed_post(client, "/sms/inbound", a_text(DANGER, "SMdown1", number), URL).status_code,
        signed_post(client, "/sms/inbound", a_text("every night", "SMdown2", number), URL).status_code,
        signed_post(client, "/sms/inbound", a_text("every night", "SMdown2", number), URL).status_code,  # retried
    ]
    assert answers == [200, 200, 200]  # Twilio is told the texts arrived: they are safe on disk
    assert len(list(spool.glob("*.json"))) == 3
    # The danger advice went at once, while nothing could be stored.
    told = sent_to(app, number)
    assert len(told) == 1 and "999" in told[0]

    proxy.restore()  # the database is back; the worker's next pass takes the kept texts
    with app.app_context():
        process_pending()
        rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert [m.provider_sid for m in rows] == ["SMup1", "SMdown1", "SMdown2"]  # once each, in arrival order
        assert [m.body for m in rows[1:]] == [DANGER, "every night"]
        assert rows[1].danger_told
        assert all(m.status in ("queued", "retry") for m in rows[1:])  # waiting for the bot, not lost
        danger = db.session.scalar(select(OutboundMessage).where(OutboundMessage.dedupe_key == "danger:SMdown1"))
        assert danger.status == "sent" and danger.sent_at is not None  # on the record
    assert list(spool.glob("*.json")) == []
    assert sum("999" in body and "danger" in body for body in sent_to(app, number)) == 1  # never told twice


@pytest.mark.postgres
def test_after_the_database_is_back_the_next_text_goes_behind_those_kept_while_it_was_down(store_behind_proxy):
    app, proxy, spool = store_behind_proxy
    client = app.test_client()
    number = "+447700900062"
    proxy.cut()
    assert signed_post(client, "/sms/inbound", a_text("first", "SMk1", number), URL).status_code == 200
    proxy.restore()
    # No worker pass yet: the webhook itself stores the kept text before the new one.
    assert signed_post(client, "/sms/inbound", a_text("second", "SMk2", number), URL).status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert [(m.provider_sid, m.body) for m in rows] == [("SMk1", "first"), ("SMk2", "second")]
    assert list(spool.glob("*.json")) == []


def test_a_text_stored_just_before_the_store_failed_is_taken_on_by_the_worker(app):
    # The webhook stored it, then failed before queueing it (the store went away between the two steps).
    stalled = InboundMessage(provider_sid="SMstall", from_number="+447700900063", body="every night", status="received")
    stalled.received_at = utcnow() - timedelta(minutes=5)
    db.session.add(stalled)
    db.session.commit()
    process_pending()
    db.session.refresh(stalled)
    assert stalled.status in ("queued", "retry")  # on its way to the bot, no longer stuck
