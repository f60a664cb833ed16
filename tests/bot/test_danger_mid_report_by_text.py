"""Danger told in the middle of a report by text, through the real stack: 999 first, "Are you safe now?",
never an unclear answer, and the officer sees it on the report."""

from __future__ import annotations

import pytest

from bot.actions.texts import t
from tests.bot.own_words import reference_in
from tests.bot.scripts import report_by_text
from tests.bot.stack import Texter


@pytest.mark.parametrize(
    ("lang", "danger", "yes"),
    [
        ("en", "he's banging on my door right now and I'm scared", "yes"),
        ("ar", "إنه يركل بابي الآن ويحاول كسره", "نعم"),  # he is kicking my door now, trying to break it
    ],
)
def test_danger_mid_report_by_text_pauses_the_questions_and_flags_the_report(stack, lang, danger, yes):
    texter = Texter(stack)
    script = report_by_text(lang)
    asked = texter.texts(script[0])  # the description: the next question is "When does it happen?"
    when = asked[-1]
    replies = texter.texts(danger)
    assert "999" in replies[0], replies
    assert replies[-1] == t(lang, "Are you safe now? Reply YES when you are safe, and we will carry on.")
    assert when not in replies  # no question while they may be in danger
    again = texter.texts(yes)
    assert again[-1] == when  # safe: the same question again, not counted as unclear
    everything = []
    for text in script[1:]:
        everything += texter.texts(text)
    reference = reference_in(everything[-2:])
    [report] = [r for r in stack.reports() if r.reference == reference]
    assert "danger_in_conversation" in report.flags
