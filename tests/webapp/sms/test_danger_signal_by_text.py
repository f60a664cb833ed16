"""By text, the second danger signal is asked by the worker before the bot's turn, never by the webhook (which must
answer Twilio at once): danger the policy's words miss is still told first, with the bot down too."""

from __future__ import annotations

from datetime import timedelta

import pytest

from asb_domain import danger_signal
from tests.webapp.sms.fake_bot import FakeBot
from tests.webapp.sms.test_open_case_texts import NUMBER, open_case, question, texts
from tests.webapp.sms.test_webhook import TOKEN
from webapp.models import utcnow
from webapp.sms.conversations import process_pending

# No danger phrase of the policy's is in it: only the signal can tell.
UNLISTED = "a man is swinging a baseball bat at people by the shop"


class Hears:
    """A stand-in for the built signal: danger in the one text, and a record of every text it was asked about."""

    threshold = 0.5

    def __init__(self, danger: str):
        self.danger = danger
        self.asked: list[str] = []

    def probability(self, text: str) -> float:
        self.asked.append(text)
        return 1.0 if text == self.danger else 0.0

    def says_danger(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


@pytest.fixture
def signal(monkeypatch):
    hears = Hears(UNLISTED)
    monkeypatch.setattr(danger_signal, "_default", hears)
    monkeypatch.setattr(danger_signal, "_default_loaded", True)
    return hears


def test_danger_only_the_signal_hears_is_told_by_the_worker_before_the_open_case_question(app, client, policy, signal):
    report, bot = open_case(app, policy)
    assert texts(app, client, UNLISTED, "SM1", work=False) == []  # the webhook answers on the words alone
    assert signal.asked == []
    before = len(app.extensions["outbound_sender"].sent)
    process_pending()
    sent = [m.body for m in app.extensions["outbound_sender"].sent[before:] if m.to == NUMBER]
    assert len(sent) == 2 and "call 999" in sent[0] and sent[1] == question(report)
    texts(app, client, "2", "SM2")
    [(heard, metadata)] = bot.heard
    assert heard == UNLISTED and metadata["danger_told"] is True  # the bot does not tell it again


def test_with_the_bot_down_the_signal_still_gets_the_999_advice_out(app, client, signal):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    app.extensions["asb_bot"] = None
    sent = texts(app, client, UNLISTED, "SM1")
    assert len(sent) == 1 and "call 999" in sent[0]
    process_pending(utcnow() + timedelta(minutes=5))  # the bot is tried again, still down: not told twice
    assert sum("call 999" in m.body for m in app.extensions["outbound_sender"].sent if m.to == NUMBER) == 1


def test_a_text_the_signal_finds_no_danger_in_goes_to_the_bot_with_no_999_advice(app, client, signal):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    bot = app.extensions["asb_bot"] = FakeBot()
    assert texts(app, client, "the bins have not been emptied for two weeks", "SM1") == ["bot reply 1"]
    assert signal.asked == ["the bins have not been emptied for two weeks"]
    assert bot.heard[0][1]["danger_told"] is False
