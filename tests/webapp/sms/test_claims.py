"""One SMS worker at a time answers a number: the claim, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage, SmsConversation, utcnow
from webapp.outbound import claim_for_sending
from webapp.sms import claims
from webapp.sms.conversations import conversation_for, process_number

NUMBER = "+447700900071"


def waiting_text(sid="SMc1", body="every night"):
    message = InboundMessage(provider_sid=sid, from_number=NUMBER, body=body, status="queued")
    db.session.add(message)
    db.session.commit()
    return message


def test_a_number_claimed_by_one_worker_is_left_alone_by_another_until_released_or_lapsed(app):
    conversation_for(NUMBER)
    assert claims.claim(NUMBER, "worker-a")
    assert claims.claim(NUMBER, "worker-a")  # renewing its own claim
    assert not claims.claim(NUMBER, "worker-b")
    claims.release(NUMBER, "worker-a")
    assert claims.claim(NUMBER, "worker-b")
    # worker-b dies holding it: once the lease has lapsed, another worker takes the number on.
    db.session.execute(
        update(SmsConversation)
        .values(claimed_until=utcnow() - timedelta(seconds=1))
        .where(SmsConversation.phone == NUMBER)
    )
    db.session.commit()
    assert claims.claim(NUMBER, "worker-a")


def test_a_worker_does_not_answer_texts_of_a_number_another_worker_is_answering(app):
    conversation_for(NUMBER)
    message = waiting_text()
    assert claims.claim(NUMBER, "another-worker")
    assert process_number(NUMBER, me="this-worker") == 0
    db.session.refresh(message)
    assert message.status == "queued" and message.attempts == 0  # untouched, still waiting its turn


def test_a_failed_send_is_claimed_by_one_worker_only(app):
    message = OutboundMessage(to_number=NUMBER, body="hello", dedupe_key="c1", status="queued", attempts=1)
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.add(message)
    db.session.commit()
    first = claim_for_sending(message)
    second = claim_for_sending(db.session.get(OutboundMessage, message.id))
    assert (first, second) == (True, False)
    assert message.status == "sending"
