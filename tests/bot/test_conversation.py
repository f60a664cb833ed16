"""The conversation without Rasa (bot/actions/conversation.py): which question comes next, in which words.

Pure Python: runs in both environments (the web app's and the bot's Python 3.10).
"""

from __future__ import annotations

import pytest

from bot.actions.conversation import next_slot, prompt, report_slots, required_slots, take_reply
from tests.domain.factories import shipped_policy


def answered_until(slot: str) -> dict:
    """Slots as if the resident answered everything before `slot` with the first option."""
    policy = shipped_policy()
    slots: dict = {"triage": {"outcome": "asb", "case_type": "noise"}}
    for name in report_slots(policy):
        if name == slot:
            break
        if name in ("more_than_that", "case_type") or name.endswith("_consent"):
            continue
        slots[name] = {"options": ["no"]} if name.startswith("q") else {"text": "x", "ways": ["text"], "yes": True}
    slots["requested_slot"] = slot
    return slots


def test_consent_to_talk_to_others_is_asked_only_after_a_yes():
    policy = shipped_policy()
    slots = {"triage": {"case_type": "noise"}, "q6_other_agencies": {"options": ["no"]}}
    assert "q6_other_agencies_consent" not in required_slots(policy, slots)
    slots["q6_other_agencies"] = {"options": ["yes"]}
    assert "q6_other_agencies_consent" in required_slots(policy, slots)


def test_no_contact_means_no_questions_about_phone_name_or_times():
    policy = shipped_policy()
    slots = {"triage": {"case_type": "noise"}, "contact_ways": {"ways": ["none"]}}
    needed = required_slots(policy, slots)
    assert not {"contact_phone", "contact_name", "safe_times", "contact_email"} & set(needed)
    slots["contact_ways"] = {"ways": ["email"]}
    needed = required_slots(policy, slots)
    assert "contact_email" in needed and "contact_phone" not in needed


def test_a_screened_out_matter_the_resident_agrees_with_needs_nothing_more():
    policy = shipped_policy()
    slots = {
        "description": {"text": "footsteps"},
        "triage": {"screened_matter": "footsteps"},
        "more_than_that": {"yes": False},
    }
    assert next_slot(policy, slots) is None


@pytest.mark.parametrize("lang", ["en", "pl", "ur"])
def test_every_question_is_asked_from_the_catalogs_in_the_residents_language(lang):
    policy = shipped_policy()
    for slot in report_slots(policy):
        messages = prompt(policy, slot, answered_until(slot), lang)
        assert messages and all(m.text.strip() for m in messages), slot
        if lang != "en":
            english = prompt(policy, slot, answered_until(slot), "en")
            assert messages[-1].text != english[-1].text, f"{slot} is not translated into {lang}"


def test_an_unclear_reply_asks_again_with_numbered_options_and_buttons():
    policy = shipped_policy()
    slots = answered_until("q1_frequency")
    turn = take_reply(policy, {**slots, "q1_frequency": "banana"}, "banana", "en")
    assert turn.updates["q1_frequency"] is None
    slots.update(turn.updates)
    [message] = prompt(policy, "q1_frequency", slots, "en")
    assert message.text.startswith("Sorry, I did not understand.")
    assert "1. Every day" in message.text
    assert ("Every day", "Every day") in message.buttons


def test_a_reply_in_danger_is_answered_with_999_before_anything_else():
    policy = shipped_policy()
    slots = answered_until("q3_worsening")
    text = "he is kicking my door in right now"
    turn = take_reply(policy, {**slots, "q3_worsening": text}, text, "en")
    assert "999" in turn.say[0].text
    assert turn.updates["q3_worsening"] is None
