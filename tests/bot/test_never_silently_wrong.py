"""Never silently wrong: what the bot stores, what it reads back first, and what it never skips.

The conversation without Rasa (bot/actions/conversation.py, asb_domain/answers.py and informing.py), so it
runs in both environments. Each reply here is one a resident really sent that was once stored wrongly.
"""

from __future__ import annotations

import pytest

from bot.actions.conversation import UNCLEAR_LIMIT, prompt, report_body, required_slots, take_reply
from tests.bot.test_conversation import answered_until
from tests.domain.factories import shipped_policy


def reply(slot: str, text: str, lang: str = "en", **extra):
    """Answer `slot` with `text` after everything before it; the slots after, and the turn."""
    policy = shipped_policy()
    slots = {**answered_until(slot), **extra, slot: text}
    turn = take_reply(policy, slots, text, lang)
    slots.update(turn.updates)
    return slots, turn


def say(policy, slot, slots, lang="en") -> str:
    return "\n".join(m.text for m in prompt(policy, slot, slots, lang))


def test_text_me_no_calls_please_is_a_text_and_never_no_contact():
    slots, _ = reply("contact_ways", "text me, no calls please")
    assert slots["contact_ways"] == {"ways": ["text"]}
    # So the resident is asked their name, safe times and how often, as anyone who wants contact is.
    needed = required_slots(shipped_policy(), {**slots, "channel": "sms"})
    assert {"contact_name", "safe_times", "update_frequency"} <= set(needed)


@pytest.mark.parametrize(
    ("lang", "text", "ways"),
    [
        ("en", "email is fine but don't ring me", ["email"]),
        ("ur", "میسج", ["text"]),
        ("ur", "صرف میسج کریں، کال نہ کریں", ["text"]),
        ("ar", "رسائل نصية", ["text"]),
        ("ar", "رسالة نصية فقط", ["text"]),
        ("pl", "tylko sms, proszę nie dzwonić", ["text"]),
        ("es", "solo mensajes, no me llamen", ["text"]),
        ("en", "please don't contact me", ["none"]),
    ],
)
def test_ways_to_contact_are_understood_in_the_residents_language_with_the_negation_where_it_stands(lang, text, ways):
    slots, _ = reply("contact_ways", text, lang)
    # Stored, or (a longer reply) read back: either way, what they meant.
    understood = slots["contact_ways"] or slots["confirming"]["value"]
    assert understood == {"ways": ways}


def test_an_unclear_answer_about_contact_is_read_back_and_not_stored():
    policy = shipped_policy()
    text = "you can text me or email I suppose but my partner reads my phone so maybe not"
    slots, turn = reply("contact_ways", text)
    assert slots["contact_ways"] is None  # nothing stored yet
    assert slots["confirming"]["slot"] == "contact_ways"
    asked = say(policy, "contact_ways", slots)
    assert asked.startswith("I have: Text message, ")
    assert "Reply YES if that is right" in asked and "5. Do not contact me" in asked
    # Put right in the same turn: a number is their answer.
    turn = take_reply(policy, {**slots, "contact_ways": "4"}, "4", "en")
    assert turn.updates["contact_ways"] == {"ways": ["email"]}
    assert turn.updates["confirming"] is None


def test_a_read_back_answer_is_stored_on_a_yes():
    policy = shipped_policy()
    slots, _ = reply("q5_history", "he harassed me for years and he is still doing it")
    assert slots["q5_history"] is None
    asked = say(policy, "q5_history", slots)
    assert asked.startswith("I have: ")
    turn = take_reply(policy, {**slots, "q5_history": "yes"}, "yes", "en")
    assert turn.updates["q5_history"]["options"] == slots["confirming"]["value"]["options"]


def test_an_unclear_answer_about_harassment_is_read_back_not_stored():
    # Both "in the past" and "now": the bot says which it understood and lets them put it right.
    slots, _ = reply("q5_history", "he harassed me for years and he is still doing it")
    assert slots["q5_history"] is None
    assert slots["confirming"]["slot"] == "q5_history"
    turn = take_reply(shipped_policy(), {**slots, "q5_history": "1"}, "1", "en")
    assert turn.updates["q5_history"]["options"] == ["harassing_now"]


def test_a_short_clear_answer_is_stored_at_once():
    slots, _ = reply("q1_frequency", "pretty much every night")
    assert slots["q1_frequency"]["options"] == ["daily"]
    assert not slots.get("confirming")


def test_weekday_evenings_after_six_is_evenings_on_weekdays_not_choice_six_and_is_read_back():
    policy = shipped_policy()
    slots, _ = reply("safe_times", "weekday evenings after 6 when he goes out")
    assert slots["confirming"]["value"]["windows"] == {"periods": ["evenings"], "days": "weekdays"}
    asked = say(policy, "safe_times", slots)
    assert asked.startswith("I have: Evenings, Weekdays.")
    turn = take_reply(policy, {**slots, "safe_times": "yes"}, "yes", "en")
    assert turn.updates["safe_times"]["windows"] == {"periods": ["evenings"], "days": "weekdays"}


def test_how_to_contact_is_never_skipped_silently_but_asked_plainly():
    policy = shipped_policy()
    slots = {**answered_until("contact_ways"), "channel": "sms"}
    for _ in range(UNCLEAR_LIMIT):
        turn = take_reply(policy, {**slots, "contact_ways": "banana"}, "banana", "en")
        slots.update(turn.updates)
        assert slots["contact_ways"] is None
    assert say(policy, "contact_ways", slots) == "Can we text you at this number? Reply YES or NO."
    turn = take_reply(policy, {**slots, "contact_ways": "yes"}, "yes", "en")
    assert turn.updates["contact_ways"] == {"ways": ["text"]}


def test_no_safe_way_given_is_not_the_same_as_asking_for_no_contact():
    policy = shipped_policy()
    slots = {**answered_until("confirm_send"), "contact_ways": {"ways": []}, "channel": "sms"}
    assert report_body(policy, slots, "en", "sms", "sms-1")["contact"]["no_contact"] is False
    asked = say(policy, "confirm_send", slots)
    assert "You have not told us a safe way to contact you" in asked


def test_how_we_will_contact_them_is_read_back_before_the_report_is_sent():
    policy = shipped_policy()
    slots = {
        **answered_until("confirm_send"),
        "contact_ways": {"ways": ["text"]},
        "safe_times": {"text": "4", "windows": {"periods": ["evenings"], "days": "any_day"}},
        "update_frequency": {"id": "fortnightly"},
        "channel": "sms",
    }
    asked = say(policy, "confirm_send", slots)
    assert "We will contact you only by: Text message. When: Evenings. Updates: Every 2 weeks." in asked
    # A change of mind at the last step is taken, not sent as it was.
    turn = take_reply(policy, {**slots, "confirm_send": "actually don't contact me"}, "actually don't contact me", "en")
    assert turn.updates["contact_ways"] == {"ways": ["none"]}
    assert turn.updates["confirm_send"] is None


def test_saying_no_to_send_it_again_and_again_never_sends_it():
    policy = shipped_policy()
    slots = answered_until("confirm_send")
    for _ in range(UNCLEAR_LIMIT + 1):
        turn = take_reply(policy, {**slots, "confirm_send": "no"}, "no", "en")
        slots.update(turn.updates)
        assert slots["confirm_send"] is None


def test_danger_in_the_middle_pauses_the_questions_and_is_on_the_report():
    policy = shipped_policy()
    slots, turn = reply("q3_worsening", "he has a knife and he is outside my door now")
    assert "999" in turn.say[0].text
    assert turn.say[-1].text == "Are you safe now? Reply YES when you are safe, and we will carry on."
    assert slots["safety_check"] and slots["q3_worsening"] is None
    assert not slots.get("unclear")  # never a wrong answer
    assert prompt(policy, "q3_worsening", slots, "en") == []  # no question while they may be in danger
    turn = take_reply(policy, {**slots, "q3_worsening": "yes"}, "yes", "en")
    slots.update(turn.updates)
    assert slots["safety_check"] is None and slots["q3_worsening"] is None
    assert "Question 3 of 14" in say(policy, "q3_worsening", slots)
    body = report_body(policy, {**slots, "contact_ways": {"ways": ["none"]}}, "en", "chat", "c1")
    assert body["danger_in_conversation"] is True


def test_not_safe_yet_repeats_999_and_waits():
    policy = shipped_policy()
    slots, _ = reply("q3_worsening", "he has a knife and he is outside my door now")
    turn = take_reply(policy, {**slots, "q3_worsening": "no"}, "no", "en")
    assert "999" in turn.say[0].text
    assert "safety_check" not in turn.updates  # still asking whether they are safe


def test_a_phone_number_in_arabic_digits_is_understood():
    slots, _ = reply("contact_phone", "رقمي ٠٧٧٠٠ ٩٠٠١٢٣", "ar", contact_ways={"ways": ["text"]})
    assert slots["contact_phone"] == {"text": "07700900123"}


def test_a_long_answer_about_health_is_read_back_before_it_is_stored():
    # Stored at once, "exhausted" made it physical health too: the resident said only what it does to their mind.
    slots, _ = reply("q11_health", "my mental health has gone downhill, I'm exhausted all the time")
    assert slots["q11_health"] is None
    assert slots["confirming"]["slot"] == "q11_health"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "he's banging on my door right now and I'm scared"),
        ("ar", "إنه يركل بابي الآن ويحاول كسره"),  # he is kicking my door now, trying to break it
    ],
)
def test_danger_told_in_own_words_mid_report_gets_999_and_never_counts_as_unclear(lang, text):
    # Once: no 999 advice in English, and "Sorry, I did not understand" in Arabic, counted as an unclear answer.
    slots, turn = reply("incident_when", text, lang)
    assert "999" in turn.say[0].text
    assert slots["safety_check"] and not slots.get("unclear")
    assert slots["danger_during"] == ["incident_when"]


def test_a_number_after_are_you_safe_is_the_answer_to_the_question():
    policy = shipped_policy()
    slots, _ = reply("q3_worsening", "he has a knife and he is outside my door now")
    turn = take_reply(policy, {**slots, "q3_worsening": "2"}, "2", "en")
    assert turn.updates["q3_worsening"]["options"] == ["no"]
    assert turn.updates["safety_check"] is None


def test_a_case_type_told_in_words_is_read_back_before_it_decides_who_handles_it():
    # By chat the closest case type is asked; in words it used to be stored as triage guessed it.
    policy = shipped_policy()
    slots = {"triage": {"outcome": "asb"}, "description": {"text": "x"}, "requested_slot": "case_type"}
    text = "it's harassment really, he won't leave me alone"
    turn = take_reply(policy, {**slots, "case_type": text}, text, "en")
    slots.update(turn.updates)
    assert slots["case_type"] is None and slots["confirming"] == {"slot": "case_type", "value": {"id": "harassment"}}
    assert say(policy, "case_type", slots).startswith("I have: Harassment.")
    turn = take_reply(policy, {**slots, "case_type": "yes"}, "yes", "en")
    assert turn.updates["case_type"] == {"id": "harassment"}
