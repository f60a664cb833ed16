"""Text edges with the real bot: the first text says PAUSE from STOP, PAUSE pauses a report, and a text from a
number with an open case is asked about (1 the case diary, 2 a new report) unless the bot is mid-report."""

from __future__ import annotations

from asb_domain.references import format_reference
from asb_domain.sms import cost
from tests.bot.stack import Texter
from webapp.extensions import db
from webapp.models import Report, SmsOptOut

PAUSE_OR_STOP = "Reply PAUSE to stop for now, or STOP to get no more texts."


def with_open_case(stack, texter) -> str:
    from tests.webapp.factories import submitted

    with stack.app.app_context():
        report = submitted(stack.app.extensions["asb_policy"], contact_phone=texter.number.replace("+44", "0"))
        return report.reference


def test_the_first_text_of_a_report_says_pause_stops_for_now_and_stop_ends_every_text(stack):
    texter = Texter(stack)
    replies = texter.texts("someone keeps dumping rubbish by the bins")
    assert replies[0].startswith("Riverside Homes: report anti-social behaviour.")
    assert replies[0].endswith(PAUSE_OR_STOP) and "call 999" in replies[0]
    assert cost(replies[0]).encoding == "GSM-7" and cost(replies[0]).segments == 1
    assert not any(PAUSE_OR_STOP in r for r in texter.texts("every night"))  # said once, at the start


def test_pause_mid_report_by_text_pauses_it_keeps_the_number_subscribed_and_the_report_carries_on(stack):
    texter = Texter(stack)
    assert "When does it happen" in texter.texts("dogs barking all night next door every night")[-1]
    paused = texter.texts("PAUSE")
    assert any("OK, I have stopped. Your answers are kept" in r for r in paused)
    with stack.app.app_context():
        assert db.session.get(SmsOptOut, texter.number) is None
    back = texter.texts("every night")
    assert any("Welcome back" in r for r in back)


def test_a_text_naming_the_open_case_is_asked_about_and_2_starts_a_new_report(stack):
    texter = Texter(stack)
    reference = with_open_case(stack, texter)
    ref = format_reference(reference)
    asked = texter.texts(f"this is about my case {ref}")
    assert asked == [
        f"Is this about your case {ref}? Reply 1 to add it to your case diary, 2 to report something new, "
        "STATUS for your case's progress."
    ]
    # The held text goes to the bot as a new report: its first question comes back.
    assert "When does it happen" in texter.texts("2")[-1]
    replies = texter.texts("every night")  # mid-report: an answer, never asked about
    assert "Where does it happen" in replies[-1]
    assert not any(r.startswith("Is this about your case") for r in replies)


def test_after_a_diary_entry_by_text_the_next_text_is_asked_about_again(stack):
    texter = Texter(stack)
    with_open_case(stack, texter)
    assert texter.texts("he was shouting on the stairs again")[0].startswith("Is this about your case")
    assert "Diary: when did it happen?" in texter.texts("1")[-1]
    assert texter.texts("last night about 2am") == ["What happened?"]
    assert "Who was involved?" in texter.texts("he shouted at me on the stairs")[0]
    texter.texts("skip")
    texter.texts("skip")
    [added] = texter.texts("no")
    assert "Added to your diary as entry 1" in added
    with stack.app.app_context():
        [report] = [r for r in db.session.query(Report).all() if r.contact_phone == texter.number.replace("+44", "0")]
        assert report.diary[0].what_happened == "he shouted at me on the stairs"
    assert texter.texts("it is getting worse")[0].startswith("Is this about your case")  # the diary is done
