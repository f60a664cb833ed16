"""Every question the bot asks by text fits the budget: English one GSM-7 segment, other languages three.

The budget is written down in asb_domain/sms.py. Messages that are not
questions (the 999 advice, the screening advice) may be longer.
"""

from __future__ import annotations

import pytest

from asb_domain.sms import ENGLISH_QUESTION_SEGMENTS, OTHER_QUESTION_SEGMENTS, cost
from bot.actions.conversation import prompt, report_slots
from bot.actions.texts import languages
from tests.bot.test_conversation import answered_until
from tests.domain.factories import shipped_policy

NOT_ASKED_BY_TEXT = {"case_type", "contact_phone"}


def questions_by_text(lang: str):
    policy = shipped_policy()
    for slot in report_slots(policy):
        if slot in NOT_ASKED_BY_TEXT:
            continue
        for unclear in (0, 1):
            slots = {**answered_until(slot), "channel": "sms", "unclear": {slot: unclear} if unclear else None}
            yield slot, unclear, prompt(policy, slot, slots, lang)[-1].text


@pytest.mark.parametrize("lang", languages())
def test_every_question_by_text_fits_its_segment_budget(lang):
    over = []
    for slot, unclear, text in questions_by_text(lang):
        bill = cost(text)
        if lang == "en":
            if bill.encoding != "GSM-7" or bill.segments > ENGLISH_QUESTION_SEGMENTS:
                over.append((slot, unclear, bill, text))
        elif bill.segments > OTHER_QUESTION_SEGMENTS:
            over.append((slot, unclear, bill, text))
    assert over == []
