"""Free-text replies in a conversation: RAM answers, commands, corrections (asb_domain.answers)."""

import pytest

from asb_domain.answers import command, find_correction, is_yes, numbers_in, understand
from tests.domain.factories import shipped_policy


def question(qid):
    return shipped_policy().question(qid)


@pytest.mark.parametrize(
    ("qid", "text", "options"),
    [
        ("q1_frequency", "pretty much every night", ("daily",)),
        ("q1_frequency", "most nights tbh", ("most_days",)),
        ("q1_frequency", "once a month maybe", ("most_months",)),
        ("q2_linked", "same lads as last time", ("yes",)),
        ("q3_worsening", "yeah", ("yes",)),
        ("q7_targeted", "just me", ("you",)),
        ("q8_identity", "he shouts at me about my wheelchair", ("yes",)),
        ("q10_affected", "im terrified", ("extremely",)),
        ("q11_health", "1 and 2", ("physical", "mental")),
        ("q13_support_network", "i live alone", ("alone_isolated",)),
        ("q7_targeted", "2", ("family",)),
        ("q7_targeted", "At my family", ("family",)),
    ],
)
def test_a_free_text_reply_is_understood_as_the_option_it_means(qid, text, options):
    assert understand(shipped_policy(), question(qid), text).options == options


def test_the_residents_own_words_are_kept_as_details():
    reply = understand(shipped_policy(), question("q2_linked"), "same lads as last time")
    assert reply.details == "same lads as last time"


@pytest.mark.parametrize("text", ["banana", "7", "1 and 2"])
def test_a_reply_that_fits_no_option_is_unclear(text):
    assert understand(shipped_policy(), question("q1_frequency"), text).unclear


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skip", "skip"),
        ("dunno", "dont_know"),
        ("i don't know", "dont_know"),
        ("help", "help"),
        ("why are you asking", "help"),
        ("stop", "stop"),
        ("start again", "restart"),
        ("I asked him to please stop playing music at night", None),
        ("the party at the weekend", None),
    ],
)
def test_commands_work_only_as_short_replies(text, expected):
    assert command(shipped_policy(), text, "en") == expected


def test_yes_and_no():
    policy = shipped_policy()
    assert is_yes(policy, "yeah", "en") is True
    assert is_yes(policy, "nope", "en") is False
    assert is_yes(policy, "the car park", "en") is None


def test_numbers_only_replies_are_read_in_any_script():
    assert numbers_in("1, 3") == [1, 3]
    assert numbers_in("٣") == [3]
    assert numbers_in("3 times") is None


def test_a_correction_changes_the_earlier_answer_it_names():
    found = find_correction(
        shipped_policy(),
        "actually it's my whole family, not just me",
        "en",
        {"q7_targeted": ["you"], "q14_others_affected": ["community"], "q1_frequency": ["daily"]},
        current="q8_identity",
    )
    assert found == ("q7_targeted", ("family",))


def test_a_reply_without_a_correction_word_changes_nothing():
    assert find_correction(shipped_policy(), "my family", "en", {"q7_targeted": ["you"]}) is None
