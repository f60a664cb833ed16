"""How, when and how often to contact a resident, in their own words in seven languages
(tests/data/free_text_replies.py): each is understood as meant, or read back as a guess; never stored wrong."""

from __future__ import annotations

import pytest

from asb_domain.informing import SafeTimes, read_frequency, read_times, read_ways
from tests.data.free_text_replies import FREE_TEXT_REPLIES
from tests.domain.factories import shipped_policy

CASES = [(lang, text, meant) for lang, replies in FREE_TEXT_REPLIES.items() for text, meant in replies.items()]


def read(lang: str, text: str, meant: dict):
    policy = shipped_policy()
    if "ways" in meant:
        got = read_ways(policy, text, lang)
        return (sorted(got.value), got.sure) if got else (None, False), sorted(meant["ways"])
    if "frequency" in meant:
        got = read_frequency(policy, text, lang)
        return (got.value, got.sure) if got else (None, False), meant["frequency"]
    got = read_times(policy, text, lang)
    return (got.value, got.sure) if got else (None, False), SafeTimes(tuple(meant["periods"]), meant["days"])


@pytest.mark.parametrize(("lang", "text", "meant"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_contact_reply_in_own_words_is_never_stored_wrong_unasked(lang, text, meant):
    (value, sure), expected = read(lang, text, meant)
    assert not sure or value == expected, f"stored {value!r} unasked for {text!r}"


def test_most_contact_replies_in_own_words_are_understood_or_read_back_right():
    right = sum(read(lang, text, meant)[0][0] == read(lang, text, meant)[1] for lang, text, meant in CASES)
    assert right / len(CASES) >= 0.85, f"{right} of {len(CASES)}"
