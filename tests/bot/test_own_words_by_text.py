"""Whole reports by text in residents' own words, in every language, through the real stack.

Signed webhook, the real store, the SMS worker, the Rasa server with the trained model and the action
server: every reply is free words; the report on the queue holds what the resident meant, each answer
understood, or read back and confirmed, or asked again. Nothing is stored wrongly without asking.
"""

from __future__ import annotations

import pytest

from tests.bot.own_words import check_report, reference_in, walk
from tests.bot.own_words_scripts import SCRIPTS
from tests.bot.stack import Texter
from tests.domain.factories import shipped_policy


def as_body(report) -> dict:
    """The stored report in the shape check_report reads (the API's)."""
    return {
        "ram": {a.question_id: {"options": a.options, "consent": a.consent} for a in report.answers},
        "contact": {
            "no_contact": report.no_contact,
            **{f"{w}_safe": bool(getattr(report, f"{w}_safe")) for w in ("text", "call", "voicemail", "email")},
            "windows": report.contact_windows,
        },
        "update_frequency": report.update_frequency,
        "consent_to_share": report.consent_to_share,
    }


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_a_whole_report_texted_in_own_words_reaches_the_queue_as_meant(stack, lang):
    policy = shipped_policy()
    first, steps = SCRIPTS[lang]
    texter = Texter(stack)
    went = walk(policy, lang, texter.texts, first, steps, sms=True)
    reference = reference_in(went.texts[-2:])
    assert reference, went.texts[-3:]
    [report] = [r for r in stack.reports() if r.reference == reference]
    assert report.language == lang
    assert report.contact_phone == texter.number
    assert check_report(policy, as_body(report), steps) == []
    assert went.unexpected == [] and went.safety_checks == 0
    print(
        f"\n{lang} by text: {went.first_time} first time, {went.read_back_right} read back right, "
        f"{went.read_back_wrong} read back and put right, {went.asked_again} asked again"
    )
    assert went.understood >= 0.75
