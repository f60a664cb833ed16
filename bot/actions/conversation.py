"""The report conversation, free of Rasa: which question comes next, what a reply means, what to say.

The Rasa actions (actions.py) are thin: they read the slots into a plain
dict, call `take_reply` or `prompt`, and turn the result into events. Scoring,
screening and danger stay in asb_domain; this module only decides the order
of questions and words of the conversation, and every word comes from the
Babel catalogs through `t`.

Slot values once understood are always dicts (a reply still waiting to be
understood is the raw text, a str), so a skipped answer still counts as given.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from asb_domain import answers, informing
from asb_domain.policy import Policy
from asb_domain.triage import ASB, EMERGENCY, NOT_ASB, NluResult, _says_now, normalise, triage
from bot.actions.texts import policy_text, t

# Slots asked in every report, in order; the RAM questions (slots named by the
# policy's question ids) and their consent questions sit between DETAILS and CONTACT.
START = ["description", "more_than_that", "case_type"]
DETAILS = ["incident_when", "location", "address", "responsible"]
CONTACT = ["contact_ways", "contact_phone", "contact_email", "contact_name", "safe_times", "update_frequency"]
END = ["consent_to_share", "confirm_send"]
CONSENT_SUFFIX = "_consent"

# State the actions keep between turns, beside the answers.
STATE_SLOTS = ["triage", "unclear", "paused", "confirming", "safety_check", "danger_during"]

OPTIONAL_TEXT = {"incident_when", "location", "address", "responsible", "contact_name"}
YES_NO = {"more_than_that", "consent_to_share", "confirm_send"}
PHONE_WAYS = {"text", "call", "voicemail"}

# After this many unclear replies to one question, it is skipped: the bot never loops. How to contact the
# resident is never skipped so: it is asked plainly instead ("Can we text you?"), CONTACT_PLAIN_LIMIT times.
UNCLEAR_LIMIT = 3
CONTACT_PLAIN_LIMIT = 2

POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)


def report_slots(policy: Policy) -> list[str]:
    """Every slot the report form can ask, in the order it asks them."""
    ram = []
    for q in policy.questions:
        ram.append(q.id)
        if q.consent:
            ram.append(q.id + CONSENT_SUFFIX)
    return START + DETAILS + ram + CONTACT + END


@dataclass
class Message:
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (title, payload)


@dataclass
class Turn:
    """What one reply did: slots to set, and what to say before the next question."""

    updates: dict = field(default_factory=dict)
    say: list[Message] = field(default_factory=list)
    end: bool = False  # the conversation is over for now (stopped, or screened out and declined)

    def tell(self, text: str, buttons=None) -> None:
        self.say.append(Message(text, list(buttons or [])))


def required_slots(policy: Policy, slots: Mapping) -> list[str]:
    """The slots this report needs, given the answers so far."""
    tri = slots.get("triage") or {}
    needed = ["description"]
    if tri.get("screened_matter"):
        needed.append("more_than_that")
        more = slots.get("more_than_that")
        if isinstance(more, dict) and more.get("yes") is False:
            return needed  # screened out, and the resident agreed: no report
    sms = slots.get("channel") == "sms"
    # By text a list of 16 case types will not fit: staff choose the case type of an SMS report with none.
    if slots.get("description") is not None and not tri.get("case_type") and not sms:
        needed.append("case_type")
    needed += DETAILS
    for q in policy.questions:
        needed.append(q.id)
        answer = slots.get(q.id)
        if q.consent and isinstance(answer, dict) and answer.get("options") and "yes" in answer["options"]:
            needed.append(q.id + CONSENT_SUFFIX)
    needed.append("contact_ways")
    ways = (slots.get("contact_ways") or {}).get("ways", []) if isinstance(slots.get("contact_ways"), dict) else []
    if ways and "none" not in ways:
        if PHONE_WAYS & set(ways) and not sms:  # by text, the number they text from (the web app knows it)
            needed.append("contact_phone")
        if "email" in ways:
            needed.append("contact_email")
        needed += ["contact_name", "safe_times", "update_frequency"]
    return needed + END


def next_slot(policy: Policy, slots: Mapping) -> str | None:
    return next((s for s in required_slots(policy, slots) if slots.get(s) is None), None)


def pending(policy: Policy, slots: Mapping) -> list[str]:
    """Slots holding a reply not yet understood (raw text)."""
    return [s for s in report_slots(policy) if isinstance(slots.get(s), str)]


def _question(policy: Policy, slot: str):
    try:
        return policy.question(slot)
    except KeyError:
        return None


def _labels(policy: Policy, question, lang: str, sms: bool = False) -> dict[str, str]:
    return {o.id: policy_text(lang, o.short_label if sms else o.label) for o in question.options}


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _yes_no_buttons(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, "Yes"), t(lang, "Yes")), (t(lang, "No"), t(lang, "No"))]


def _case_type_choices(policy: Policy, lang: str) -> list[str]:
    return [policy_text(lang, ct.label) for ct in policy.case_types.values()] + [t(lang, "I'm not sure")]


def _time_labels(policy: Policy, lang: str) -> dict[str, str]:
    """The numbered choices for safe times, short (without the hours in brackets) to fit a text."""
    return {
        cid: t(lang, "Any time") if cid == informing.ANY_TIME else policy_text(lang, label).split(" (")[0]
        for cid, label in informing.time_choices(policy)
    }


def _frequency_labels(policy: Policy, lang: str) -> dict[str, str]:
    return {f["id"]: policy_text(lang, f["label"]) for f in informing.frequencies(policy)}


def _ways_by_id(lang: str) -> dict[str, str]:
    return {
        "text": t(lang, "Text message"),
        "call": t(lang, "Phone call"),
        "voicemail": t(lang, "Voicemail"),
        "email": t(lang, "Email"),
        "none": t(lang, "Do not contact me"),
    }


# --- what the bot asks ---------------------------------------------------------------


def prompt(policy: Policy, slot: str, slots: Mapping, lang: str) -> list[Message]:
    """The question for `slot`, plainer and with numbered options after an unclear reply."""
    if slots.get("paused") or slots.get("safety_check"):
        return []  # stopped, or asked whether they are safe: the next message carries on from here
    confirming = slots.get("confirming")
    if isinstance(confirming, dict) and confirming.get("slot") == slot:
        return [_read_back(policy, slot, confirming.get("value") or {}, slots, lang)]
    unclear = (slots.get("unclear") or {}).get(slot, 0)
    if slot == "contact_ways" and unclear >= UNCLEAR_LIMIT:
        return [_plain_contact_question(slots, lang)]
    messages = []
    if unclear >= 2:
        messages.append(Message(_why_we_ask(policy, slot, lang)))
    question = _question(policy, slot)
    if question is not None and slots.get("channel") == "sms":
        messages.append(Message(_sms_question(policy, question, lang, unclear)))
        return messages
    if question is not None:
        labels = list(_labels(policy, question, lang).values())
        head = t(
            lang,
            "Question %(number)s of %(total)s: %(question)s",
            number=question.number,
            total=len(policy.questions),
            question=policy_text(lang, question.text),
        )
        if question.multiple:
            tail = t(lang, "Reply with the numbers that apply, or SKIP:")
        else:
            tail = t(lang, "Reply with a number, in your own words, or SKIP:")
        if unclear:
            head = t(lang, "Sorry, I did not understand.") + " " + head
        messages.append(Message(f"{head}\n{tail}\n{_numbered(labels)}", [(label, label) for label in labels]))
        return messages
    if slot.endswith(CONSENT_SUFFIX):
        question = policy.question(slot[: -len(CONSENT_SUFFIX)])
        text = policy_text(lang, question.consent) + "\n" + _numbered([t(lang, "Yes"), t(lang, "No")])
        messages.append(Message(text, _yes_no_buttons(lang)))
        return messages
    text, buttons = _ask_text(policy, slot, slots, lang)
    if unclear and slot not in OPTIONAL_TEXT:
        text = t(lang, "Sorry, I did not understand.") + " " + text
    messages.append(Message(text, buttons))
    return messages


def _sms_question(policy: Policy, question, lang: str, unclear: int) -> str:
    """A RAM question as one short text: the short wording, numbered short labels, and SKIP."""
    lines = [f"{question.number}/{len(policy.questions)} " + policy_text(lang, question.sms_text or question.text)]
    lines.append(_numbered([policy_text(lang, o.short_label) for o in question.options]))
    lines.append(t(lang, "Reply with the numbers, or SKIP") if question.multiple else t(lang, "Or reply SKIP"))
    if unclear:
        lines.insert(0, t(lang, "Please reply with a number."))
    return "\n".join(lines)


def _ask_text(policy: Policy, slot: str, slots: Mapping, lang: str) -> tuple[str, list]:
    if slot == "description":
        return t(lang, "Tell me in your own words what is happening."), []
    if slot == "more_than_that":
        text = t(
            lang, "Is it more than that: very loud, at night, every day, on purpose, aimed at you, or with threats?"
        )
        return text + "\n" + _numbered([t(lang, "Yes"), t(lang, "No")]), _yes_no_buttons(lang)
    if slot == "case_type":
        choices = _case_type_choices(policy, lang)
        text = t(lang, "Which of these is it closest to? Reply with a number:") + "\n" + _numbered(choices)
        return text, [(c, c) for c in choices]
    if slot == "incident_when":
        return t(lang, "When does it happen? For example: every night after 11pm, or last Saturday at 2am."), []
    if slot == "location":
        return t(lang, "Where does it happen? For example: the flat above me, or the car park."), []
    if slot == "address":
        return t(lang, "What is your address and postcode? We use it to find your home. You can say SKIP."), []
    if slot == "responsible":
        return t(lang, "Do you know who is doing it? Tell me, or say SKIP."), []
    if slot == "contact_ways":
        text = t(lang, "How can we contact you safely? Reply with the numbers:")
        labels = list(_ways_by_id(lang).values())
        return text + "\n" + _numbered(labels), [(label, label) for label in labels]
    if slot == "contact_name":
        return t(lang, "What name should we ask for? You can say SKIP."), []
    if slot == "contact_phone":
        return t(lang, "What phone number should we use?"), []
    if slot == "contact_email":
        return t(lang, "What email address should we use?"), []
    if slot == "safe_times":
        labels = list(_time_labels(policy, lang).values())
        text = t(lang, "When is it safe to contact you? Reply with numbers:")
        return text + "\n" + _numbered(labels), [(label, label) for label in labels]
    if slot == "update_frequency":
        labels = list(_frequency_labels(policy, lang).values())
        text = t(lang, "How often would you like an update from your officer? Reply with a number:")
        return text + "\n" + _numbered(labels), [(label, label) for label in labels]
    if slot == "consent_to_share":
        sms = slots.get("channel") == "sms" and policy.raw["ram"].get("consent_to_share_sms")
        text = policy_text(lang, sms or policy.raw["ram"]["consent_to_share"])
        return text + "\n" + _numbered([t(lang, "Yes"), t(lang, "No")]), _yes_no_buttons(lang)
    if slot == "confirm_send":
        text = _contact_summary(policy, slots, lang) + "\n" + t(lang, "Shall I send your report now?")
        if slots.get("channel") != "sms":  # by text, nothing about the report: someone else may read the phone
            text = _summary(policy, slots, lang) + "\n" + text
        return text + "\n" + _numbered([t(lang, "Yes"), t(lang, "No")]), _yes_no_buttons(lang)
    raise KeyError(slot)


def _summary(policy: Policy, slots: Mapping, lang: str) -> str:
    tri = slots.get("triage") or {}
    case_type = policy.case_types.get(tri.get("case_type") or "")
    answered = sum(1 for q in policy.questions if isinstance(slots.get(q.id), dict) and slots[q.id].get("options"))
    return t(
        lang,
        "Your report: %(case_type)s. You answered %(answered)s of %(total)s questions.",
        case_type=policy_text(lang, case_type.label) if case_type else t(lang, "I'm not sure"),
        answered=answered,
        total=len(policy.questions),
    )


def _why_we_ask(policy: Policy, slot: str, lang: str) -> str:
    if _question(policy, slot) is not None:
        return t(
            lang,
            "We ask everyone these questions to understand how much this is affecting you, "
            "so we can help you sooner. You can answer with a number, or say SKIP.",
        )
    if slot == "description":
        return t(
            lang,
            "We need a few words about what is happening to know who should help you. "
            "For example: loud music every night from the flat above.",
        )
    return t(lang, "We ask so we can deal with your report safely. You can say SKIP to move on.")


# --- reading back what was not clearly understood ---------------------------------------


def _choices(policy: Policy, slot: str, slots: Mapping, lang: str) -> dict[str, str]:
    """The numbered choices of a question, as the resident saw them (id -> label)."""
    question = _question(policy, slot)
    if question is not None:
        return _labels(policy, question, lang, sms=slots.get("channel") == "sms")
    if slot == "contact_ways":
        return _ways_by_id(lang)
    if slot == "safe_times":
        return _time_labels(policy, lang)
    if slot == "update_frequency":
        return _frequency_labels(policy, lang)
    if slot == "case_type":
        return dict(zip([*policy.case_types, None], _case_type_choices(policy, lang), strict=True))
    return {}


def _in_words(policy: Policy, slot: str, value: Mapping, slots: Mapping, lang: str) -> str:
    """An understood answer in the resident's language, to read back to them."""
    choices = _choices(policy, slot, slots, lang)
    if slot == "contact_ways":
        return ", ".join(choices[w] for w in value.get("ways") or [] if w in choices)
    if slot == "safe_times":
        windows = value.get("windows") or {}
        said = [choices[p] for p in windows.get("periods") or [] if p in choices]
        if windows.get("days") in choices:
            said.append(choices[windows["days"]])
        return ", ".join(said) or choices[informing.ANY_TIME]
    if slot in ("update_frequency", "case_type"):
        return choices.get(value.get("id"), "")
    return ", ".join(choices[o] for o in value.get("options") or [] if o in choices)


def _read_back(policy: Policy, slot: str, value: Mapping, slots: Mapping, lang: str) -> Message:
    """ "I have: text message. Reply YES if that is right, or the number of your answer:" with the choices."""
    choices = list(_choices(policy, slot, slots, lang).values())
    text = "\n".join(
        [
            t(lang, "I have: %(answer)s.", answer=_in_words(policy, slot, value, slots, lang)),
            t(lang, "Reply YES if that is right, or reply with the numbers of your answer:"),
            _numbered(choices),
        ]
    )
    return Message(text, [(t(lang, "Yes"), t(lang, "Yes"))] + [(c, c) for c in choices])


def _plain_contact_question(slots: Mapping, lang: str) -> Message:
    # By text, "this number" is the one they text from; in the chat, a yes asks for the number next.
    if slots.get("channel") == "sms":
        text = t(lang, "Can we text you at this number? Reply YES or NO.")
    else:
        text = t(lang, "Can we contact you by text message? Reply YES or NO.")
    return Message(text, _yes_no_buttons(lang))


def _contact_summary(policy: Policy, slots: Mapping, lang: str) -> str:
    """How we will (or will not) contact them: read back before the report goes, because it decides whether
    anyone ever gets in touch. Nothing here says what the report is about."""
    value = slots.get("contact_ways") if isinstance(slots.get("contact_ways"), dict) else {}
    ways = value.get("ways") or []
    change = t(lang, "To change this, tell me how we can contact you, for example: text me.")
    if "none" in ways:
        return t(lang, "You asked us not to contact you, so we cannot tell you what we do.") + " " + change
    if not ways:
        return t(lang, "You have not told us a safe way to contact you, so we will not contact you.") + " " + change
    lines = [
        t(lang, "We will contact you only by: %(ways)s.", ways=_in_words(policy, "contact_ways", value, slots, lang))
    ]
    times = slots.get("safe_times")
    if isinstance(times, dict) and times.get("windows"):
        lines.append(t(lang, "When: %(times)s.", times=_in_words(policy, "safe_times", times, slots, lang)))
    frequency = slots.get("update_frequency")
    if isinstance(frequency, dict) and frequency.get("id"):
        lines.append(
            t(lang, "Updates: %(how_often)s.", how_often=_in_words(policy, "update_frequency", frequency, slots, lang))
        )
    return " ".join(lines)


# --- what a reply means ---------------------------------------------------------------

Nlu = Callable[[str, str], NluResult | None]


def danger_advice(policy: Policy, lang: str, flags=()) -> Message:
    lines = [
        t(lang, "If you or anyone else is in danger now, call 999 straight away."),
        t(lang, "Deaf or speech-impaired: text relay 18000, or text 999 if you are registered with emergencySMS."),
    ]
    if "domestic_abuse" in flags:
        lines.append(t(lang, "National Domestic Abuse Helpline: 0808 2000 247, free, 24 hours."))
    return Message("\n".join(lines))


# Replies that say hello rather than answer: after a pause they bring the question back, nothing more.
SMALL_TALK = {"greet", "thanks"}


def take_reply(
    policy: Policy, slots: Mapping, text: str, lang: str, nlu: Nlu | None = None, intent: str | None = None
) -> Turn:
    """Understand the resident's reply to the question asked (`slots["requested_slot"]`)."""
    turn = Turn()
    slot = slots.get("requested_slot")
    waiting = pending(policy, slots)
    if slot not in waiting and waiting:
        slot = waiting[0]  # a reply given before the form started (the first message): its own slot
    if slot is None:
        return turn
    if isinstance(slots.get(slot), str):
        text = slots[slot]
    text = (text or "").strip()

    if slots.get("paused"):
        turn.updates["paused"] = None
        turn.tell(t(lang, "Welcome back. Let's carry on with your report."))
        # "hi, I'm back" is no answer: ask the question again (the model may hear "back" as small talk or as stop).
        if (intent in SMALL_TALK or intent == "stop") and answers.numbers_in(text) is None:
            turn.updates[slot] = None
            return turn

    # Danger at any step pauses the questions: the 999 advice, then "Are you safe now?". It is never a wrong
    # answer, and the officer sees on the report that it was told. Answers (an address, a time, "he is still
    # harassing me now") are not what the NLU learnt from, and it heard danger in them: the policy's words and
    # the second danger signal decide.
    if slot != "description" and _is_danger(policy, text, lang, None):
        if not slots.get("danger_told"):  # by text, the web app has sent the 999 advice already
            turn.say.insert(0, danger_advice(policy, lang))
        turn.tell(t(lang, "Are you safe now? Reply YES when you are safe, and we will carry on."))
        during = list(slots.get("danger_during") or [])
        turn.updates.update({slot: None, "safety_check": True, "danger_during": [*during, slot]})
        return turn

    cmd = answers.command(policy, text, lang)
    if cmd == answers.RESTART:
        turn.updates.update(dict.fromkeys(report_slots(policy) + STATE_SLOTS))
        turn.tell(t(lang, "OK, let's start again. Nothing has been sent."))
        return turn
    if cmd == answers.STOP:
        turn.updates.update({slot: None, "paused": True, "safety_check": None, "confirming": None})
        turn.tell(
            t(
                lang,
                "OK, I have stopped. Your answers are kept: send any message when you want to carry on. "
                "In an emergency call 999.",
            )
        )
        turn.end = True
        return turn

    if slots.get("safety_check"):
        # Yes or no in words answers "Are you safe now?"; a number is the answer to the question they were asked.
        safe = _yes_no(policy, text, lang) if answers.numbers_in(text) is None else None
        if safe is False:
            turn.updates[slot] = None
            turn.tell(t(lang, "Please call 999 now if you can. When you are safe, reply YES and we will carry on."))
            return turn
        turn.updates["safety_check"] = None
        if safe:
            turn.updates[slot] = None
            turn.tell(t(lang, "Thank you. Let's carry on with your report."))
            return turn
        # Anything else is taken as the answer to the question they were asked.

    if cmd == answers.HELP:
        turn.updates[slot] = None
        turn.tell(_why_we_ask(policy, slot, lang))
        return turn

    confirming = slots.get("confirming")
    if isinstance(confirming, dict) and confirming.get("slot") == slot:
        turn.updates["confirming"] = None
        if answers.numbers_in(text) is None:
            right = _yes_no(policy, text, lang)
            if right:
                turn.updates[slot] = confirming.get("value")
                turn.updates["unclear"] = _without(slots.get("unclear"), slot)
                return turn
            if right is False:
                turn.updates[slot] = None  # asked again, as at first
                return turn
        # A number, or new words: their answer again, understood afresh.

    if slot == "confirm_send" and _change_ways(policy, slots, text, lang, turn):
        turn.updates[slot] = None  # "Shall I send it?" again, after any question the new way needs
        return turn

    correction = _correction(policy, slots, slot, text, lang)
    if correction:
        turn.updates.update(correction.updates)
        turn.updates[slot] = None
        turn.say += correction.say
        return turn

    understood = _understand(policy, slots, slot, text, lang, cmd, nlu, turn)
    if understood is None:
        return _unclear(policy, slots, slot, lang, turn)
    if understood is AGAIN:
        turn.updates[slot] = None
        return turn
    if isinstance(understood, Tentative):
        # Not clearly one answer: read it back and let them put it right, rather than store a guess.
        turn.updates[slot] = None
        turn.updates["confirming"] = {"slot": slot, "value": understood.value}
        return turn
    turn.updates[slot] = understood
    turn.updates["unclear"] = _without(slots.get("unclear"), slot)
    return turn


def _without(counts, slot: str) -> dict | None:
    return {k: v for k, v in (counts or {}).items() if k != slot} or None


# The question is asked again, and the reply does not count as unclear ("no, not yet" to "Shall I send it?").
AGAIN = object()


@dataclass
class Tentative:
    """An answer the words point to, but not clearly: read back to the resident before it is stored."""

    value: dict


def _is_danger(policy: Policy, text: str, lang: str, nlu: Nlu | None) -> bool:
    """Danger in a reply to a question. The policy's danger words always count. A model (the second danger
    signal) counts only with a word saying it is happening now: an answer tells of the situation
    in general, and "I live alone and have no one here" read as danger by a model stopped a report to ask
    "Are you safe now?"."""
    # A number or a yes is an answer, not a cry for help.
    if answers.numbers_in(text) is not None or len(text.split()) < 2:
        return False
    if triage(policy, text, lang, signal=False).outcome == EMERGENCY:
        return True
    if not _says_now(policy.raw["triage"], normalise(text), lang):
        return False
    return triage(policy, text, lang, nlu=nlu).outcome == EMERGENCY


def _unclear(policy: Policy, slots: Mapping, slot: str, lang: str, turn: Turn) -> Turn:
    if slots.get("paused"):
        turn.updates[slot] = None  # back after a pause ("hi, I'm back"): ask again, no harm done
        return turn
    counts = dict(slots.get("unclear") or {})
    counts[slot] = counts.get(slot, 0) + 1
    if slot == "contact_ways":
        # Never skipped silently: asked plainly ("Can we text you?"), and if that is not clear either, the
        # report says no safe way was given (not that they asked for no contact) and the summary says so.
        if counts[slot] >= UNCLEAR_LIMIT + CONTACT_PLAIN_LIMIT:
            counts.pop(slot)
            turn.updates[slot] = {"ways": []}
        else:
            turn.updates[slot] = None
    elif counts[slot] >= UNCLEAR_LIMIT and slot not in ("description", "confirm_send"):
        # A report is never sent for want of a clear yes: "Shall I send it?" waits for one (or stop).
        counts.pop(slot)
        turn.updates[slot] = _skipped(slot)
        turn.tell(t(lang, "Let's skip that one for now."))
    else:
        turn.updates[slot] = None
    turn.updates["unclear"] = counts or None
    return turn


def _skipped(slot: str) -> dict:
    if slot == "case_type":
        return {"id": None}
    if slot in YES_NO or slot.endswith(CONSENT_SUFFIX):
        return {"yes": None}
    if slot == "contact_ways":
        return {"ways": []}
    if slot == "safe_times":
        return {"text": None, "windows": None}
    if slot == "update_frequency":
        return {"id": None}
    if slot in OPTIONAL_TEXT or slot in ("contact_phone", "contact_email", "description"):
        return {"text": None}
    return {"options": [], "details": None}


def _yes_no(policy: Policy, text: str, lang: str) -> bool | None:
    said = text.strip().lower()
    if said in ("1", t(lang, "Yes").lower()):
        return True
    if said in ("2", t(lang, "No").lower()):
        return False
    return answers.is_yes(policy, text, lang)


def _understand(policy, slots, slot, text, lang, cmd, nlu, turn) -> dict | None:
    """The understood value for `slot`, or None when the reply is unclear."""
    skipping = cmd in (answers.SKIP, answers.DONT_KNOW)
    question = _question(policy, slot)
    if question is not None:
        shown = _labels(policy, question, lang, sms=slots.get("channel") == "sms")
        reply = answers.understand(policy, question, text, lang, shown)
        if reply.answered:
            value = {"options": list(reply.options), "details": reply.details}
            return value if reply.sure else Tentative(value)
        if reply.command in (answers.SKIP, answers.DONT_KNOW):
            return _skipped(slot)
        return None

    if slot == "description":
        return _describe(policy, slots, text, lang, nlu, turn)
    if slot == "more_than_that":
        yes = _yes_no(policy, text, lang)
        if yes is None:
            if skipping:
                yes = True  # not sure: let them go on, staff will judge
            else:
                return None
        return _more_than_that(policy, slots, text, lang, yes, turn)
    if slot == "case_type":
        return _choose_case_type(policy, text, lang, skipping, turn)
    if slot in OPTIONAL_TEXT:
        if skipping or not text:
            return {"text": None}
        if slot == "address":
            match = POSTCODE.search(text)
            postcode = f"{match.group(1)} {match.group(2)}".upper() if match else None
            return {"text": text, "postcode": postcode}
        return {"text": text}
    if slot == "contact_ways":
        return _ways(policy, slots, text, lang, skipping)
    if slot == "safe_times":
        if skipping:
            return {"text": None, "windows": None}
        times = informing.read_times(policy, text, lang, _time_labels(policy, lang))
        if times is None:
            return None
        value = {"text": text, "windows": times.value.as_dict()}
        return value if times.sure else Tentative(value)
    if slot == "update_frequency":
        if skipping:
            return {"id": None}
        chosen = informing.read_frequency(policy, text, lang, _frequency_labels(policy, lang))
        if chosen is None:
            return None
        return {"id": chosen.value} if chosen.sure else Tentative({"id": chosen.value})
    if slot == "contact_phone":
        if skipping:
            return {"text": None}
        digits = re.sub(r"[^\d+]", "", normalise(text))  # Arabic-Indic and Eastern digits read as 0-9
        if 10 <= len(digits.lstrip("+")) <= 15:
            return {"text": digits}
        return None
    if slot == "contact_email":
        if skipping:
            return {"text": None}
        match = re.search(r"[^\s@]+@[^\s@]+\.[^\s@]+", text)
        return {"text": match.group(0)} if match else None
    if slot in YES_NO or slot.endswith(CONSENT_SUFFIX):
        yes = _yes_no(policy, text, lang)
        if yes is None:
            if skipping and slot != "confirm_send":
                return {"yes": False if slot == "consent_to_share" else None}
            return None
        if slot == "confirm_send" and not yes:
            turn.tell(
                t(
                    lang,
                    "OK, not sent yet. To change an answer, tell me, for example: actually it is every day. "
                    "Reply 1 when you want to send it.",
                )
            )
            return AGAIN
        return {"yes": yes}
    raise KeyError(slot)


def _describe(policy, slots, text, lang, nlu, turn) -> dict | None:  # noqa: C901 - one step of the conversation
    counts = (slots.get("unclear") or {}).get("description", 0)
    small_talk = len(text.split()) < 3 and triage(policy, text, lang).case_type is None
    if small_talk and counts < UNCLEAR_LIMIT - 1:
        return None
    result = triage(policy, text, lang, nlu=nlu)
    tri = {
        "outcome": result.outcome,
        "case_type": result.case_type,
        "category": result.category,
        "matter": result.matter,
        "signs": list(result.signs),
        "flags": list(result.flags),
        "screened_matter": result.matter if result.outcome == NOT_ASB else None,
        "started": uuid.uuid4().hex[:12],  # tells this report from later ones in the same conversation
    }
    turn.updates["triage"] = tri
    if result.outcome == EMERGENCY:
        if not slots.get("danger_told"):
            turn.say.insert(0, danger_advice(policy, lang, result.flags))
        turn.tell(t(lang, "When you are safe, you can carry on with your report here."))
    elif result.outcome == NOT_ASB:
        matter = policy.not_asb[result.matter]
        lines = [t(lang, "Thank you for telling me."), policy_text(lang, matter.reason), t(lang, "What you can do:")]
        for item in matter.what_you_can_do:
            help_item = policy.by_id("self_help", item)
            lines.append("- " + policy_text(lang, help_item["text"]))
        turn.tell("\n".join(lines))
    else:
        turn.tell(t(lang, "Thank you for telling me. I will ask some questions so we can help."))
    _advice(policy, result.case_type, lang, turn)
    return {"text": text}


def _advice(policy: Policy, case_type: str | None, lang: str, turn: Turn) -> None:
    ct = policy.case_types.get(case_type or "")
    if ct is None or not ct.advice:
        return
    lines = []
    for contact_id in ct.advice:
        contact = policy.contact(contact_id)
        where = contact.get("number") or contact.get("url")
        lines.append(f"{policy_text(lang, contact['label'])}: {where}")
    turn.tell(t(lang, "You can also get help from:") + "\n" + "\n".join(lines))


def _more_than_that(policy, slots, text, lang, yes, turn) -> dict:
    tri = dict(slots.get("triage") or {})
    if not yes:
        turn.tell(
            t(
                lang,
                "OK. We will not make a report about this. If it gets worse, or happens at night or on purpose, "
                "message us again. In an emergency call 999.",
            )
        )
        turn.end = True
        return {"yes": False}
    more = triage(policy, text, lang)
    matter = policy.not_asb[tri["screened_matter"]]
    tri["signs"] = list(dict.fromkeys([*tri.get("signs", []), *more.signs]))
    tri["outcome"] = ASB
    tri["case_type"] = tri.get("case_type") or matter.case_type
    tri["category"] = policy.case_types[tri["case_type"]].category
    turn.updates["triage"] = tri
    turn.tell(t(lang, "Thank you. I will ask some questions so we can help."))
    return {"yes": True}


def _choose_case_type(policy, text, lang, skipping, turn) -> dict | Tentative | None:
    ids = list(policy.case_types)
    choices = _case_type_choices(policy, lang)
    said = text.strip().lower()
    chosen: str | None | bool = False
    numbers = answers.numbers_in(text)
    if numbers and len(numbers) == 1 and 1 <= numbers[0] <= len(choices):
        chosen = ids[numbers[0] - 1] if numbers[0] <= len(ids) else None
    elif said in [c.lower() for c in choices]:
        index = [c.lower() for c in choices].index(said)
        chosen = ids[index] if index < len(ids) else None
    elif skipping:
        chosen = None
    else:
        # Words: the closest case type the triage finds, read back first. It decides who handles the case
        # and, for a high-risk type, how urgent it is.
        found = triage(policy, text, lang).case_type
        return Tentative({"id": found}) if found else None
    if chosen is False:
        return None
    return {"id": chosen}


def _ways(policy: Policy, slots: Mapping, text: str, lang: str, skipping: bool) -> dict | Tentative | None:
    if skipping:
        return {"ways": []}
    if (slots.get("unclear") or {}).get("contact_ways", 0) >= UNCLEAR_LIMIT:
        plain = _yes_no(policy, text, lang)  # the plain question: "Can we text you?"
        if plain is not None:
            return {"ways": ["text"] if plain else []}
    understood = informing.read_ways(policy, text, lang, _ways_by_id(lang))
    if understood is None:
        return None
    value = {"ways": list(understood.value)}
    return value if understood.sure else Tentative(value)


def _change_ways(policy: Policy, slots: Mapping, text: str, lang: str, turn: Turn) -> bool:
    """At "Shall I send it?", a new way to contact them ("text me") changes it, read back first if unclear.
    Only the policy's words count here, never a guess or a number: "no" or "2" is "not yet"."""
    if answers.numbers_in(text) is not None:
        return False
    understood = informing.read_ways(policy, text, lang, _ways_by_id(lang), guess=False)
    now = slots.get("contact_ways") if isinstance(slots.get("contact_ways"), dict) else {}
    if understood is None or set(understood.value) == set(now.get("ways") or []):
        return False
    value = {"ways": list(understood.value)}
    if understood.sure:
        turn.updates["contact_ways"] = value
        turn.tell(t(lang, "Thank you, I have changed how we contact you."))
    else:
        turn.updates["contact_ways"] = None
        turn.updates["confirming"] = {"slot": "contact_ways", "value": value}
    return True


def _correction(policy: Policy, slots: Mapping, current: str, text: str, lang: str) -> Turn | None:
    answered = {
        q.id: slots[q.id]["options"]
        for q in policy.questions
        if isinstance(slots.get(q.id), dict) and slots[q.id].get("options")
    }
    found = answers.find_correction(policy, text, lang, answered, current=current)
    if found is None:
        return None
    question_id, options = found
    question = policy.question(question_id)
    turn = Turn()
    turn.updates[question_id] = {"options": list(options), "details": text}
    labels = ", ".join(policy_text(lang, question.option(o).label) for o in options)
    turn.tell(
        t(
            lang,
            'Thank you, I have changed your answer to "%(question)s" to: %(answer)s.',
            question=policy_text(lang, question.text),
            answer=labels,
        )
    )
    return turn


# --- the finished report ------------------------------------------------------------


def report_body(policy: Policy, slots: Mapping, lang: str, channel: str, conversation_id: str) -> dict:
    """The report as the web app's API takes it (POST /api/v1/reports)."""

    def text(slot):
        value = slots.get(slot)
        return value.get("text") if isinstance(value, dict) else None

    def yes(slot):
        value = slots.get(slot)
        return value.get("yes") if isinstance(value, dict) else None

    tri = slots.get("triage") or {}
    case_type = tri.get("case_type")
    chosen = slots.get("case_type")
    if isinstance(chosen, dict) and "id" in chosen and not case_type:
        case_type = chosen["id"]
    ram = {}
    for q in policy.questions:
        value = slots.get(q.id) if isinstance(slots.get(q.id), dict) else {}
        ram[q.id] = {
            "options": value.get("options") or [],
            "details": value.get("details"),
            "consent": yes(q.id + CONSENT_SUFFIX) if q.consent else None,
        }
    ways = (slots.get("contact_ways") or {}).get("ways", []) if isinstance(slots.get("contact_ways"), dict) else []
    address = slots.get("address") if isinstance(slots.get("address"), dict) else {}
    times = slots.get("safe_times") if isinstance(slots.get("safe_times"), dict) else {}
    frequency = slots.get("update_frequency") if isinstance(slots.get("update_frequency"), dict) else {}
    return {
        "submission_key": f"{channel}:{conversation_id}:{tri.get('started', '')}",
        "channel": channel,
        "language": lang,
        "description": text("description"),
        "triage_outcome": tri.get("outcome"),
        "screened_matter": tri.get("screened_matter"),
        "asb_signs": tri.get("signs") or [],
        "case_type": case_type,
        "incident_when": text("incident_when"),
        "location": text("location"),
        "address": address.get("text"),
        "postcode": address.get("postcode"),
        "responsible": text("responsible"),
        "contact": {
            # Only their own "do not contact me": no safe way given is not the same (staff see which).
            "no_contact": "none" in ways,
            "name": text("contact_name"),
            "phone": text("contact_phone"),
            "email": text("contact_email"),
            "text_safe": "text" in ways,
            "call_safe": "call" in ways,
            "voicemail_safe": "voicemail" in ways,
            "email_safe": "email" in ways,
            "safe_times": text("safe_times"),
            **({"windows": times["windows"]} if times.get("windows") else {}),
        },
        **({"update_frequency": frequency["id"]} if frequency.get("id") else {}),
        "consent_to_share": bool(yes("consent_to_share")),
        # Danger told in the middle of the questions: the officer sees it on the report.
        "danger_in_conversation": bool(slots.get("danger_during")),
        "ram": ram,
        # By text, the web app fills in the number the resident texts from (the bot never sees it).
        **({"sms_conversation": conversation_id} if channel == "sms" else {}),
    }
