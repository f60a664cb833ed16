"""A text from a number with an open case, on SQLite and PostgreSQL: about the case, or something new?

Unless the bot is in the middle of a report or diary entry with the resident, the text is held and the
resident is asked, in their language and without quoting them: 1 adds to the case diary, 2 hands the held
text to the bot as a new report, STATUS says how the case stands. Danger is told first, at once.
"""

from __future__ import annotations

from sqlalchemy import select

from asb_domain.references import format_reference
from asb_domain.sms import cost
from tests.webapp.factories import submitted
from tests.webapp.sms.fake_bot import FakeBot
from tests.webapp.sms.test_webhook import TOKEN, signed_post, text
from webapp.extensions import db
from webapp.models import InboundMessage, SmsConversation
from webapp.sms.conversations import process_pending

NUMBER = "+447700900123"
URL = "http://localhost/sms/inbound"


def open_case(app, policy, **fields):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    bot = app.extensions["asb_bot"] = FakeBot()
    report = submitted(policy, contact_phone="07700 900123", text_safe=True, **fields)
    return report, bot


def texts(app, client, body, sid, work=True):
    """The resident texts; the worker runs; what the resident received (the bot's replies included)."""
    before = len(app.extensions["outbound_sender"].sent)
    signed_post(client, "/sms/inbound", text(body, sid=sid, number=NUMBER), URL)
    if work:
        process_pending()
    return [m.body for m in app.extensions["outbound_sender"].sent[before:] if m.to == NUMBER]


def status_of(sid):
    return db.session.scalar(select(InboundMessage.status).where(InboundMessage.provider_sid == sid))


def question(report):
    return (
        f"Is this about your case {format_reference(report.reference)}? Reply 1 to add it to your case diary, "
        "2 to report something new, STATUS for your case's progress."
    )


def test_a_text_naming_the_open_case_is_not_taken_as_an_answer_but_asked_about(app, client, policy):
    report, bot = open_case(app, policy)
    ref = format_reference(report.reference)
    assert texts(app, client, f"this is about my case {ref}", "SM1") == [question(report)]
    assert bot.heard == []  # never the answer to "When does it happen?"
    assert status_of("SM1") == "case_choice"


def test_the_question_never_quotes_the_resident_and_is_one_plain_text(app, client, policy):
    report, bot = open_case(app, policy)
    [asked] = texts(app, client, "the man at number 4 was banging on my wall again last night", "SM1")
    assert asked == question(report)
    assert "banging" not in asked
    assert cost(asked).encoding == "GSM-7" and cost(asked).segments == 1


def test_a_reference_named_mid_report_is_still_asked_about(app, client, policy):
    report, bot = open_case(app, policy)
    bot.mid_report()
    assert texts(app, client, f"its about {report.reference}", "SM1") == [question(report)]
    assert bot.heard == []


def test_1_starts_the_case_diary_and_the_held_text_is_kept_but_not_sent(app, client, policy):
    report, bot = open_case(app, policy)
    texts(app, client, "he shouted at me on the stairs again", "SM1")
    assert texts(app, client, "1", "SM2") == ["bot reply 1"]
    assert bot.texts() == ["/diary"]  # as DIARY does
    assert status_of("SM1") == "handled" and status_of("SM2") == "processed"
    bot.slots = {"diary_when": {"text": "last night"}}  # the diary is under way: its answers go to the bot
    bot.active_loop = {"name": "diary_form"}
    assert texts(app, client, "last night about 2am", "SM3") == ["bot reply 2"]
    assert bot.texts()[-1] == "last night about 2am"


def test_yes_to_the_question_is_the_diary_and_no_is_something_new(app, client, policy):
    report, bot = open_case(app, policy)
    texts(app, client, "it happened again", "SM1")
    texts(app, client, "yes", "SM2")
    assert bot.texts() == ["/diary"]
    texts(app, client, "there is a car dumped in the car park", "SM3")
    texts(app, client, "no", "SM4")
    assert bot.texts() == ["/diary", "there is a car dumped in the car park"]


def test_2_hands_the_held_text_to_the_bot_as_a_new_report(app, client, policy):
    report, bot = open_case(app, policy)
    texts(app, client, "someone keeps dumping rubbish by the bins", "SM1")
    assert texts(app, client, "2", "SM2") == ["bot reply 1"]
    [(heard, metadata)] = bot.heard
    assert heard == "someone keeps dumping rubbish by the bins"
    assert metadata["message_id"] == "SM2" and metadata["channel"] == "sms"
    assert status_of("SM1") == "processed" and status_of("SM2") == "processed"
    bot.mid_report()  # the bot now asks its questions: the answers go straight to it
    assert texts(app, client, "every night", "SM3") == ["bot reply 2"]
    assert bot.texts()[-1] == "every night"


def test_texts_sent_before_the_question_arrived_wait_with_the_first_and_are_asked_about_once(app, client, policy):
    report, bot = open_case(app, policy)
    signed_post(client, "/sms/inbound", text("it is about my case", sid="SM1", number=NUMBER), URL)
    signed_post(client, "/sms/inbound", text("they were shouting again at 3am", sid="SM2", number=NUMBER), URL)
    process_pending()
    assert [m.body for m in app.extensions["outbound_sender"].sent if m.to == NUMBER] == [question(report)]
    texts(app, client, "2", "SM3")
    assert bot.texts() == ["it is about my case\nthey were shouting again at 3am"]


def test_a_reply_that_is_not_a_choice_is_asked_about_again(app, client, policy):
    report, bot = open_case(app, policy)
    texts(app, client, "it is the neighbours again", "SM1")
    assert texts(app, client, "what do you mean", "SM2") == [question(report)]
    assert bot.heard == []
    texts(app, client, "2", "SM3")
    assert bot.texts() == ["it is the neighbours again\nwhat do you mean"]


def test_status_while_asked_says_how_the_case_stands_and_the_choice_still_waits(app, client, policy):
    report, bot = open_case(app, policy)
    texts(app, client, "is anyone dealing with this", "SM1")
    [status] = texts(app, client, "STATUS", "SM2")
    assert status.startswith(f"Your case {format_reference(report.reference)} is with us.")
    texts(app, client, "1", "SM3")
    assert bot.texts() == ["/diary"]


def test_danger_from_a_number_with_an_open_case_gets_the_999_advice_at_once_then_the_question(app, client, policy):
    report, bot = open_case(app, policy)
    first = texts(app, client, "hes outside my door with a knife", "SM1", work=False)
    assert len(first) == 1 and "call 999" in first[0]  # at once, before the worker runs
    process_pending()
    assert [m.body for m in app.extensions["outbound_sender"].sent if m.to == NUMBER][-1] == question(report)
    texts(app, client, "2", "SM2")
    [(heard, metadata)] = bot.heard
    assert heard == "hes outside my door with a knife" and metadata["danger_told"] is True  # not told twice


def test_mid_report_a_reply_goes_straight_to_the_bot_unasked(app, client, policy):
    report, bot = open_case(app, policy)
    bot.mid_report()
    assert texts(app, client, "every night after 11", "SM1") == ["bot reply 1"]
    assert bot.texts() == ["every night after 11"]


def test_a_number_with_no_open_case_goes_straight_to_the_bot(app, client, policy):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    bot = app.extensions["asb_bot"] = FakeBot()
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    report.status = "closed"
    db.session.commit()
    assert texts(app, client, "kids racing motorbikes round the estate", "SM1") == ["bot reply 1"]
    assert bot.texts() == ["kids racing motorbikes round the estate"]


def test_a_first_text_too_short_to_tell_its_language_is_answered_in_the_language_of_the_case(app, client, policy):
    report, bot = open_case(app, policy, language="pl")
    texts(app, client, "znowu", "SM1")
    assert db.session.scalar(select(SmsConversation.language)) == "pl"
    texts(app, client, "2", "SM2")
    assert bot.heard[0][1]["lang"] == "pl"
