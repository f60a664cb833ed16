"""Faults and logs, with the real Rasa server, action server, web app and worker.

A canary typed by a resident into a web report, a chat, a text and a diary entry
must never appear in any process's log, even when a turn fails; phone numbers
never appear whole. Killing the action server, the Rasa server or the worker in
the middle of conversations loses no message: the backlog is answered, in order,
once they are back, and the bot never hears a text twice.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

import pytest

from tests.bot.stack import Texter, work
from webapp.extensions import db
from webapp.models import InboundMessage, utcnow
from webapp.sms.conversations import process_pending


@pytest.fixture
def all_logs(caplog):
    """Every log record of this process (web app, worker) at DEBUG, and the text of the bot's log files."""
    caplog.set_level(logging.DEBUG)

    def read(stack) -> str:
        files = "\n".join(p.read_text(errors="replace") for p in sorted(stack.logs.glob("*.log")))
        return caplog.text + "\n" + files

    return read


def later(stack) -> None:
    """A worker pass as if every retry time had come."""
    with stack.app.app_context():
        process_pending(now=utcnow() + timedelta(minutes=5))
        db.session.remove()


def test_a_canary_typed_into_a_report_a_chat_a_text_and_a_diary_never_reaches_any_log(stack, all_logs):
    from tests.domain.factories import quiet_answers
    from tests.webapp.journey import answer, full_report

    canary = "CANARY" + secrets.token_hex(6)
    # The web report, through the web app's own pages.
    client = stack.app.test_client()
    with stack.app.app_context():
        policy = stack.app.extensions["asb_policy"]
        page = full_report(
            client,
            policy,
            description=f"Loud music every night until 3am from the flat above {canary}",
            answers=quiet_answers(),
            contact={"contact": "yes", "contact_name": canary, "contact_phone": "07700 900777"},
        )
    reference = re.search(r"(\d{3}-\d{3}-\d{3})", page).group(1)
    # The chat, including a turn that fails: the action server is down, Rasa's own REST channel would log the text.
    resident = stack.resident()
    resident.says(f"the man upstairs plays loud music every night {canary}")
    stack.stop_actions()
    try:
        failed = resident.http.post(
            f"{stack.web_url}/chat", data={"csrf_token": resident._csrf(), "message": f"every night {canary}"}
        )
        assert failed.status_code in (200, 503)
    finally:
        stack.start_actions()
    # A text, and a diary entry by text from the number on the case.
    texter = Texter(stack)
    texter.texts(f"kids kicking a ball at my door every night {canary}")
    with stack.app.app_context():
        diary_client = stack.app.test_client()
        answer(diary_client, "/diary", {"reference": reference})
        sent = stack.app.extensions["outbound_sender"].sent
        code = re.search(r"\b(\d{6})\b", sent[-1].body).group(1)
        answer(diary_client, "/diary/code", {"code": code})
        answer(
            diary_client,
            "/diary/entry",
            {"occurred_at": "last night 11pm", "what_happened": f"music again {canary}", "police_told": "no"},
        )
    logs = all_logs(stack)
    assert "Loud music" in page or reference  # the journey really ran
    assert canary not in logs
    for number in ("07700 900777", "07700900777", "+447700900777", texter.number, texter.number.lstrip("+")):
        assert number not in logs


def test_the_action_server_killed_mid_conversation_loses_no_text_and_the_resident_hears_back(stack):
    texter = Texter(stack)
    assert "When does it happen" in texter.texts("loud music from the flat above every night until 4am")[-1]
    stack.stop_actions()
    try:
        held = texter.texts("every night after midnight")
        assert held == ["Your message is safe with us. Our reply may take a few minutes. In an emergency call 999."]
        assert texter.texts("the flat above mine") == []  # waits behind the first: order is kept
    finally:
        stack.start_actions()
    later(stack)
    replies = texter.received()
    assert replies[0].startswith("Where does it happen")
    assert replies[-1].startswith("What is your address")


def test_a_worker_that_dies_after_the_bot_answered_never_makes_the_bot_hear_the_text_twice(stack):
    texter = Texter(stack)
    texter.texts("someone keeps spraying graffiti on our block every week")
    response, params = texter.post("every weekend")  # stored and queued; no worker pass yet
    assert response.status_code == 200
    with stack.app.app_context():
        message = db.session.query(InboundMessage).filter_by(provider_sid=params["MessageSid"]).one()
        conversation_id = f"sms-{_conversation_id(message.from_number)}"
        # The worker hands the text to the bot ... and dies before it records that it did.
        message.attempts = 1
        db.session.commit()
        bot = stack.app.extensions["asb_bot"]
        bot.send(conversation_id, message.body, {"lang": "en", "channel": "sms", "message_id": message.provider_sid})
        db.session.remove()
    work(stack)  # the next worker: finds the turn in the tracker, sends its replies, asks nothing again
    replies = texter.received()
    assert len(replies) == 1 and replies[0].startswith("Where does it happen")
    with stack.app.app_context():
        events = stack.app.extensions["asb_bot"].events(conversation_id)
    heard = [e for e in events if e.get("event") == "user" and e.get("message_id") == params["MessageSid"]]
    assert len(heard) == 1


def test_texts_sent_while_no_worker_runs_wait_and_are_answered_in_order(stack):
    texter = Texter(stack)
    texter.texts("the neighbours dog barks all night every night and wont stop")
    for body in ("every night", "the garden next door", "skip"):
        response, _ = texter.post(body)
        assert response.status_code == 200  # stored at once; the worker is down
    assert texter.received() == []
    work(stack)  # the worker is back
    replies = texter.received()
    asked = [r.split("?")[0] for r in replies]
    assert asked[0].startswith("Where does it happen")
    assert asked[1].startswith("What is your address")
    assert asked[2].startswith("Do you know who is doing it") or "who" in asked[2].lower()


def _conversation_id(number: str) -> int:
    from webapp.models import SmsConversation

    return db.session.query(SmsConversation).filter_by(phone=number).one().id
