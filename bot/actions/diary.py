"""A diary entry by text or chat: when, what, who, how it affected them, the police. Free of Rasa, like conversation.py.

Every word is kept as the resident wrote it (the entry is evidence). Danger
gets the 999 advice first, as in the report; "skip" leaves out the optional
questions; "stop" ends without adding anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from asb_domain import answers
from asb_domain.policy import Policy
from bot.actions.conversation import Message, Turn, _is_danger, _yes_no, danger_advice
from bot.actions.texts import t

DIARY_SLOTS = ["diary_when", "diary_what", "diary_who", "diary_effect", "diary_police"]
OPTIONAL = {"diary_who", "diary_effect"}
POLICE_REFERENCE = re.compile(r"\b[A-Z]*\d[\w/-]{2,}\b", re.IGNORECASE)


def prompt(slot: str, lang: str) -> Message:
    text = {
        "diary_when": t(lang, "Diary: when did it happen? For example: last night about 2am."),
        "diary_what": t(lang, "What happened?"),
        "diary_who": t(lang, "Who was involved? You can say SKIP."),
        "diary_effect": t(lang, "How did it affect you? You can say SKIP."),
        "diary_police": t(
            lang, "Did you tell the police? Reply 1 for yes or 2 for no. Add the police reference if you have one."
        ),
    }[slot]
    return Message(text)


def next_slot(slots: Mapping) -> str | None:
    return next((s for s in DIARY_SLOTS if slots.get(s) is None), None)


def take_reply(policy: Policy, slots: Mapping, text: str, lang: str) -> Turn:
    turn = Turn()
    slot = next((s for s in DIARY_SLOTS if isinstance(slots.get(s), str)), slots.get("requested_slot"))
    if slot not in DIARY_SLOTS:
        return turn
    text = (slots.get(slot) if isinstance(slots.get(slot), str) else text or "").strip()
    if _is_danger(policy, text, lang, None) and not slots.get("danger_told"):
        turn.say.append(danger_advice(policy, lang))
    cmd = answers.command(policy, text, lang)
    if cmd == answers.STOP:
        turn.updates.update(dict.fromkeys(DIARY_SLOTS, {"cancelled": True}))
        turn.tell(t(lang, "OK, nothing has been added to your diary."))
        return turn
    if slot in OPTIONAL and cmd in (answers.SKIP, answers.DONT_KNOW):
        turn.updates[slot] = {"text": None}
        return turn
    if slot == "diary_police":
        yes = _yes_no(policy, text, lang)
        reference = POLICE_REFERENCE.search(text)
        if yes is None and reference is None:
            turn.updates[slot] = None
            return turn
        turn.updates[slot] = {"told": yes is not False, "reference": reference.group(0) if reference else None}
        return turn
    turn.updates[slot] = {"text": text} if text else None
    return turn


def entry_body(slots: Mapping, conversation_id: str) -> dict | None:
    """What the web app's API takes (POST /api/v1/diary), or None when the resident stopped."""
    if any(isinstance(slots.get(s), dict) and slots[s].get("cancelled") for s in DIARY_SLOTS):
        return None
    police = slots.get("diary_police") or {}
    return {
        "sms_conversation": conversation_id,
        "occurred_at": (slots.get("diary_when") or {}).get("text"),
        "what_happened": (slots.get("diary_what") or {}).get("text") or "",
        "who_involved": (slots.get("diary_who") or {}).get("text"),
        "effect": (slots.get("diary_effect") or {}).get("text"),
        "police_told": police.get("told"),
        "police_reference": police.get("reference"),
    }
