"""PAUSE by text, on SQLite and PostgreSQL: the report stops for now, as "stop" does in the chat; texts go on.

STOP by text is Twilio's opt-out from every text; PAUSE (in each language the service speaks) is the bot's
own stop, which keeps the answers, and never opts the number out.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.webapp.factories import submitted
from tests.webapp.sms.fake_bot import FakeBot
from tests.webapp.sms.test_webhook import TOKEN, signed_post, text
from webapp.extensions import db
from webapp.models import InboundMessage, SmsOptOut
from webapp.sms.conversations import process_pending

NUMBER = "+447700900123"
URL = "http://localhost/sms/inbound"


def texts(app, client, body, sid):
    before = len(app.extensions["outbound_sender"].sent)
    signed_post(client, "/sms/inbound", text(body, sid=sid, number=NUMBER), URL)
    process_pending()
    return [m.body for m in app.extensions["outbound_sender"].sent[before:] if m.to == NUMBER]


@pytest.mark.parametrize("word", ["PAUSE", "pause", "Pauza", "pauză", "pausa", "توقف مؤقت", "وقف", "روکیں"])
def test_pause_in_any_language_pauses_the_report_through_the_bot_and_never_opts_out(app, client, word):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    bot = app.extensions["asb_bot"] = FakeBot()
    texts(app, client, "the lads upstairs play loud music every night", "SM1")
    bot.mid_report()
    assert texts(app, client, word, "SM2") == ["bot reply 2"]
    assert bot.texts()[-1] == "/stop"  # the bot's stop: paused, its answers kept
    assert db.session.get(SmsOptOut, NUMBER) is None
    assert texts(app, client, "I'm back", "SM3") == ["bot reply 3"]  # still texting with us


def test_pause_from_a_number_with_an_open_case_pauses_and_is_not_asked_about_the_case(app, client, policy):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    bot = app.extensions["asb_bot"] = FakeBot()
    submitted(policy, contact_phone="07700 900123", text_safe=True)
    assert texts(app, client, "PAUSE", "SM1") == ["bot reply 1"]
    assert bot.texts() == ["/stop"]


def test_stop_by_text_still_opts_out_of_every_text(app, client):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    bot = app.extensions["asb_bot"] = FakeBot()
    assert texts(app, client, "STOP", "SM1") == []
    assert db.session.get(SmsOptOut, NUMBER) is not None
    assert bot.heard == []
    assert db.session.scalar(select(InboundMessage.status)) == "handled"
