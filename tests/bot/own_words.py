"""Whole reports told in a resident's own words, and a resident who puts the bot right.

A script is what a resident texts at each question, in free words (never a number), with what they meant.
`walk` plays the resident: it sends each reply; when the bot reads an answer back ("I have: ...") it says
yes if that is what they meant and answers with the numbers if not; when the bot asks again, it answers with
the numbers. So the report can only end wrong if the bot stored a wrong answer without asking, which is
what these tests look for. `Walk` counts how each answer went.

The same scripts run in-process against the conversation (fast) and through the real stack by text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from asb_domain import informing
from asb_domain.policy import Policy
from bot.actions import conversation
from bot.actions.texts import t


@dataclass(frozen=True)
class Step:
    slot: str
    reply: str
    meant: object  # RAM and contact: a tuple of ids; safe times: (periods, days); yes/no: bool; text: None


@dataclass
class Walk:
    first_time: int = 0  # stored as meant with no question back
    read_back_right: int = 0  # read back, and right
    read_back_wrong: int = 0  # read back, wrong, and put right by the resident
    asked_again: int = 0  # not understood: asked again, answered with numbers
    unexpected: list[str] = field(default_factory=list)  # questions asked only because of a wrong answer
    safety_checks: int = 0  # "Are you safe now?" asked of a resident who told of no danger
    texts: list[str] = field(default_factory=list, repr=False)  # everything the bot said

    @property
    def understood(self) -> float:
        total = self.first_time + self.read_back_right + self.read_back_wrong + self.asked_again
        return (self.first_time + self.read_back_right) / total if total else 1.0


def _marker(lang: str, message: str) -> str:
    return t(lang, message).split("%(")[0].strip()


def _numbers(policy: Policy, step: Step, lang: str) -> str:
    """The resident's answer again, by the numbers the bot showed."""
    if isinstance(step.meant, bool):
        return "1" if step.meant else "2"
    if step.slot == "safe_times":
        ids = [cid for cid, _ in informing.time_choices(policy)]
        periods, days = step.meant
        chosen = list(periods) + ([days] if days != "any_day" else [])
        return " ".join(str(ids.index(c) + 1) for c in chosen or [informing.ANY_TIME])
    if step.slot == "contact_ways":
        ids = list(informing.CONTACT_WAYS)
    elif step.slot == "update_frequency":
        ids = [f["id"] for f in informing.frequencies(policy)]
    else:
        ids = [o.id for o in policy.question(step.slot).options]
    return " ".join(str(ids.index(i) + 1) for i in step.meant)


def _value(step: Step) -> dict:
    """What the conversation stores for what they meant, to put in words as the bot would."""
    if step.slot == "contact_ways":
        return {"ways": list(step.meant)}
    if step.slot == "safe_times":
        periods, days = step.meant
        return {"windows": {"periods": list(periods), "days": days}}
    if step.slot == "update_frequency":
        return {"id": step.meant[0]}
    return {"options": list(step.meant)}


def _question_lines(policy: Policy, lang: str, sms: bool) -> dict[str, str]:
    """A line of each question that tells which it is (its first line; "Shall I send...?" for the last)."""
    slots = {"channel": "sms" if sms else "chat", "triage": {"case_type": "noise"}}
    lines = {}
    for slot in conversation.report_slots(policy):
        if slot in ("description", "more_than_that", "case_type"):
            continue
        if slot == "confirm_send":
            lines[slot] = t(lang, "Shall I send your report now?")
            continue
        text = conversation.prompt(policy, slot, slots, lang)[-1].text
        lines[slot] = text.split("\n")[0].strip()
    return lines


def _asked(lines: dict[str, str], said: str, order: list[str], current: str | None) -> str | None:
    """The question the bot asks last in `said`, if any. Two questions with the same words (the consent
    questions after 6 and 12): the one asked now, or else the next after it."""
    found = [(said.rfind(line), slot) for slot, line in lines.items() if line and line in said]
    if not found:
        return None
    last = max(at for at, _ in found)
    same = [slot for at, slot in found if at == last]
    if current in same:
        return current
    after = [slot for slot in same if current is None or order.index(slot) > order.index(current)]
    return (after or same)[0]


def walk(policy: Policy, lang: str, send: Callable[[str], list[str]], first: str, steps: list[Step], sms: bool):
    """Play the resident through a whole report; the Walk.

    The resident answers the question the bot asks (so a question asked again, or skipped, keeps them in
    step): the first time in their words, and after that, or when an answer is read back wrong, by numbers.
    """
    result = Walk()
    read_back = _marker(lang, "I have: %(answer)s.")
    plain = [
        _marker(lang, "Can we text you at this number? Reply YES or NO."),
        _marker(lang, "Can we contact you by text message? Reply YES or NO."),
    ]
    yes, no = t(lang, "Yes"), t(lang, "No")
    safe_now = t(lang, "Are you safe now? Reply YES when you are safe, and we will carry on.")
    lines = _question_lines(policy, lang, sms)
    order = conversation.report_slots(policy)
    by_slot = {step.slot: step for step in steps}
    slots = {"channel": "sms" if sms else "chat"}
    how: dict[str, str | None] = {}  # slot -> first_time, read_back_right, read_back_wrong, asked_again
    current: Step | None = None
    out = send(first)
    for _ in range(len(steps) * 6):
        result.texts += out
        said = "\n".join(out)
        if current is not None and read_back in said:
            words = conversation._in_words(policy, current.slot, _value(current), slots, lang)
            right = t(lang, "I have: %(answer)s.", answer=words) in said.split("\n")
            if how[current.slot] is None:
                how[current.slot] = "read_back_right" if right else "read_back_wrong"
            out = send(yes if right else _numbers(policy, current, lang))
            continue
        if safe_now in said:  # a question of safety, not an answer: they are safe
            result.safety_checks += 1
            out = send(yes)
            continue
        if current is not None and any(p and p in said for p in plain):
            how[current.slot] = how[current.slot] or "asked_again"
            out = send(yes if "text" in current.meant else no)
            continue
        slot = _asked(lines, said, order, current.slot if current else None)
        if slot is None:
            break  # no more questions: the report is sent (or the bot has stopped)
        if slot not in by_slot:
            result.unexpected.append(slot)  # a question this resident would not be asked: a wrong answer before
            out = send("SKIP")
            continue
        step = by_slot[slot]
        if slot in how:  # asked again (not understood, or back after a correction): by numbers now
            how[slot] = how[slot] or "asked_again"
            out = send(_numbers(policy, step, lang) if step.meant is not None else step.reply)
            continue
        how[slot] = None
        current = step
        out = send(step.reply)
    for outcome in how.values():
        outcome = outcome or "first_time"
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def converse(policy: Policy, lang: str, sms: bool = True):
    """The conversation in-process, as the report form runs it: a `send` and the slots it fills."""
    slots: dict = {"channel": "sms" if sms else "chat"}

    def send(text: str) -> list[str]:
        slot = conversation.next_slot(policy, slots)
        if slot is None:
            return []
        slots[slot] = text
        slots["requested_slot"] = slot
        turn = conversation.take_reply(policy, slots, text, lang)
        slots.update(turn.updates)
        said = [m.text for m in turn.say]
        if turn.end:
            return said
        following = conversation.next_slot(policy, slots)
        slots["requested_slot"] = following
        if following is not None:
            said += [m.text for m in conversation.prompt(policy, following, slots, lang)]
        return said

    return send, slots


def check_report(policy: Policy, body: dict, steps: list[Step]) -> list[str]:
    """Where the report (as the API takes it) differs from what the resident meant."""
    wrong = []
    contact = body["contact"]
    for step in steps:
        if step.meant is None:
            continue
        if step.slot in body["ram"]:
            got = tuple(body["ram"][step.slot]["options"])
            if set(got) != set(step.meant):
                wrong.append(f"{step.slot}: {got} for {step.meant!r} ({step.reply!r})")
        elif step.slot.endswith("_consent"):
            got = body["ram"][step.slot.removesuffix("_consent")]["consent"]
            if got is not step.meant:
                wrong.append(f"{step.slot}: {got} ({step.reply!r})")
        elif step.slot == "contact_ways":
            got = {w for w in ("text", "call", "voicemail", "email") if contact[f"{w}_safe"]}
            got |= {"none"} if contact["no_contact"] else set()
            if got != set(step.meant):
                wrong.append(f"contact_ways: {sorted(got)} for {step.meant!r} ({step.reply!r})")
        elif step.slot == "safe_times":
            windows = contact.get("windows") or {}
            got = (tuple(windows.get("periods") or ()), windows.get("days") or "any_day")
            if got != (tuple(step.meant[0]), step.meant[1]):
                wrong.append(f"safe_times: {got} for {step.meant!r} ({step.reply!r})")
        elif step.slot == "update_frequency":
            if body.get("update_frequency") != step.meant[0]:
                wrong.append(f"update_frequency: {body.get('update_frequency')} ({step.reply!r})")
        elif step.slot == "consent_to_share" and body["consent_to_share"] is not step.meant:
            wrong.append(f"consent_to_share: {body['consent_to_share']} ({step.reply!r})")
    return wrong


def reference_in(texts: list[str]) -> str | None:
    found = re.search(r"(\d{3}-\d{3}-\d{3})", "\n".join(texts))
    return found.group(1).replace("-", "") if found else None
