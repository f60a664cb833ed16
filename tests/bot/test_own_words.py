"""Whole reports in residents' own words, in every language, in-process (no Rasa): nothing stored wrongly.

Each answer is understood, or read back and confirmed, or asked again; the report that comes out is what
the resident meant. The same scripts go through the real stack by text in test_own_words_by_text.py.
"""

from __future__ import annotations

import pytest

from bot.actions.conversation import report_body
from tests.bot.own_words import check_report, converse, walk
from tests.bot.own_words_scripts import SCRIPTS
from tests.domain.factories import shipped_policy


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_a_whole_report_in_own_words_by_text_ends_with_every_answer_as_meant(lang):
    policy = shipped_policy()
    first, steps = SCRIPTS[lang]
    send, slots = converse(policy, lang, sms=True)
    went = walk(policy, lang, send, first, steps, sms=True)
    body = report_body(policy, slots, lang, "sms", "sms-1")
    assert slots["confirm_send"] == {"yes": True}, went.texts[-3:]
    assert check_report(policy, body, steps) == []
    assert went.unexpected == []
    assert went.safety_checks == 0  # nothing here is danger
    # Said back or asked again is fine; most answers are understood (or read back right) the first time.
    print(f"\n{lang}: {went}")
    assert went.understood >= 0.75, went
