"""The survey after a case closes, answered by text in words and in the resident's language, on SQLite and PostgreSQL.

While a survey question is open, a text is its answer: a number, a label, or the option's words. One that is
not clearly an answer is asked again with its numbers, in the case's language; it never goes to the bot.
Danger still gets the 999 advice at once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.webapp.factories import submitted
from tests.webapp.informing.test_keeping_informed import WED_10AM, at, officer, sent
from tests.webapp.sms.test_webhook import TOKEN, signed_post, text
from webapp import reports
from webapp.extensions import db
from webapp.models import InboundMessage, SatisfactionSurvey, utcnow

NUMBER = "+447700900123"
URL = "http://localhost/sms/inbound"


def closed_case(app, policy, language="en"):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    at(app, WED_10AM)
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True, language=language)
    reports.acknowledge(report, "jsmith", officer="jsmith")
    reports.close(policy, report, "resolved", "Sorted", "jsmith")
    return report


def reply(app, client, body, sid):
    before = len(sent(app))
    signed_post(client, "/sms/inbound", text(body, sid=sid, number=NUMBER), URL)
    return [m.body for m in sent(app)[before:]]


def survey():
    return db.session.scalar(select(SatisfactionSurvey))


def status_of(sid):
    return db.session.scalar(select(InboundMessage.status).where(InboundMessage.provider_sid == sid))


def test_a_survey_reply_in_words_is_recorded_read_back_and_the_next_question_follows(app, client, policy):
    closed_case(app, policy)
    [answer] = reply(app, client, "fairly satisfied i guess", "SMw1")
    assert answer.startswith("You answered: Fairly satisfied.")
    assert "Did we keep you informed" in answer and "1 Yes" in answer
    assert "anti-social" not in answer  # not the bot's screening or a new report
    assert survey().answers == {"satisfaction": "fairly_satisfied"}
    assert status_of("SMw1") == "handled"  # answered here, never queued for the bot
    reply(app, client, "not always", "SMw2")
    [done] = reply(app, client, "yes", "SMw3")
    assert done.endswith("Thank you. Your answers help us do better.")
    assert survey().status == "completed"
    assert survey().answers == {"satisfaction": "fairly_satisfied", "kept_informed": "partly", "report_again": "yes"}


def test_an_arabic_survey_answered_yes_and_no_in_arabic_is_recorded_and_answered_in_arabic(app, client, policy):
    closed_case(app, policy, language="ar")
    [second] = reply(app, client, "1", "SMa1")
    assert "هل أبقيناك على اطلاع" in second
    [third] = reply(app, client, "نعم", "SMa2")
    assert "هل ستبلغنا مرة أخرى" in third
    [done] = reply(app, client, "لا", "SMa3")
    assert "شكرا. إجاباتك تساعدنا على التحسن." in done
    assert survey().answers == {"satisfaction": "very_satisfied", "kept_informed": "yes", "report_again": "no"}


def test_a_survey_reply_not_understood_is_asked_again_with_its_numbers_and_never_reaches_the_bot(app, client, policy):
    closed_case(app, policy)
    [again] = reply(app, client, "it has started again", "SMu1")
    assert again.startswith("Sorry, we did not understand your answer. To stop the survey, reply SKIP.")
    assert "How satisfied are you" in again and "1 Very satisfied" in again and "5 Very dissatisfied" in again
    assert "started again" not in again  # never quotes the resident
    assert status_of("SMu1") == "handled"
    assert survey().next_question == 0 and survey().status == "sent"
    reply(app, client, "2", "SMu2")
    assert survey().answers == {"satisfaction": "fairly_satisfied"}


def test_a_polish_survey_not_understood_is_asked_again_in_polish(app, client, policy):
    closed_case(app, policy, language="pl")
    [again] = reply(app, client, "what?", "SMp1")
    assert "1 Bardzo dobrze" in again
    [second] = reply(app, client, "raczej zadowolona", "SMp2")
    assert survey().answers == {"satisfaction": "fairly_satisfied"}
    assert "1 Tak" in second


def test_danger_while_a_survey_is_open_gets_the_999_advice_at_once_and_goes_on_as_a_report(app, client, policy):
    closed_case(app, policy)
    [advice] = reply(app, client, "hes outside my door with a knife", "SMd1")
    assert "call 999" in advice
    assert status_of("SMd1") == "queued"  # the bot takes it as a report, with the advice already given
    assert survey().next_question == 0


def test_a_survey_left_unanswered_for_two_weeks_no_longer_takes_texts_as_answers(app, client, policy):
    closed_case(app, policy)
    survey().sent_at = utcnow() - timedelta(days=15)
    db.session.commit()
    assert reply(app, client, "the music has started again every night", "SMo1") == []
    assert status_of("SMo1") == "queued"  # for the bot: a new report
