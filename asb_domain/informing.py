"""Keeping the resident informed: safe times, update schedules, closure reasons and the satisfaction survey.

All of it is the policy's `keeping_informed` section. A message the landlord
starts (an acknowledgement, a change of officer, an update, a closure, the
survey) goes only inside the times the resident said are safe, and never
outside the policy's `hours`; `next_safe_moment` says when that is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from asb_domain import meanings
from asb_domain.answers import Hit, choose, numbers_in, phrase_hits
from asb_domain.policy import Policy
from asb_domain.triage import normalise

ANY_TIME = "any_time"


def _section(policy: Policy) -> dict:
    return policy.raw["keeping_informed"]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class SafeTimes:
    """When a resident said it is safe to hear from us: periods of the day (none: any) and which days."""

    periods: tuple[str, ...] = ()
    days: str = "any_day"

    def as_dict(self) -> dict:
        return {"periods": list(self.periods), "days": self.days}

    @classmethod
    def from_dict(cls, data: dict | None) -> SafeTimes:
        data = data or {}
        return cls(tuple(data.get("periods") or ()), data.get("days") or "any_day")


def _windows(policy: Policy, safe: SafeTimes) -> list[tuple[time, time]]:
    """The local clock windows of a day a message may go in: the chosen periods cut to the policy's hours."""
    section = _section(policy)
    start, end = _clock(section["hours"]["start"]), _clock(section["hours"]["end"])
    periods = {p["id"]: p for p in section["periods"]}
    chosen = [periods[p] for p in safe.periods if p in periods] or [{"start": "00:00", "end": "23:59"}]
    windows = []
    for period in chosen:
        lo, hi = max(start, _clock(period["start"])), min(end, _clock(period["end"]))
        if lo < hi:
            windows.append((lo, hi))
    return sorted(windows)


def _weekdays(policy: Policy, safe: SafeTimes) -> set[int]:
    for days in _section(policy)["days"]:
        if days["id"] == safe.days:
            return set(days["weekdays"])
    return set(range(7))


def next_safe_moment(policy: Policy, safe: SafeTimes, now: datetime) -> datetime:
    """`now` if it is a safe time to send, or else the start of the next safe window (timezone-aware, UTC)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(policy.response_times["timezone"])
    local = now.astimezone(zone)
    windows = _windows(policy, safe) or _windows(policy, SafeTimes())
    weekdays = _weekdays(policy, safe)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        for lo, hi in windows:
            opens = datetime.combine(day, lo, tzinfo=zone)
            closes = datetime.combine(day, hi, tzinfo=zone)
            if local < closes:
                return now if local >= opens else opens.astimezone(now.tzinfo)
    raise ValueError("no safe time in the next week")  # the policy's days always name at least one weekday


def is_safe_now(policy: Policy, safe: SafeTimes, now: datetime) -> bool:
    return next_safe_moment(policy, safe, now) <= now


# --- how often the resident hears from their officer ----------------------------------


def frequencies(policy: Policy) -> list[dict]:
    return _section(policy)["update_frequencies"]


def default_frequency(policy: Policy) -> str:
    return _section(policy)["default_update_frequency"]


def frequency_days(policy: Policy, frequency: str | None) -> int:
    by_id = {f["id"]: f["days"] for f in frequencies(policy)}
    return by_id.get(frequency or "", by_id[default_frequency(policy)])


def update_due(policy: Policy, frequency: str | None, last_contact: date) -> date:
    """When the next update to the resident is due, counted from the last time they heard from us."""
    return last_contact + timedelta(days=frequency_days(policy, frequency))


# --- what a resident texts back --------------------------------------------------------

_NUMBERS = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")

# The ways a resident may be contacted, in the order the bot numbers them; "none" is "do not contact me".
CONTACT_WAYS = ("text", "call", "voicemail", "email", "none")


@dataclass(frozen=True)
class Understood:
    """A reply to how, when or how often to contact the resident: what it means, and whether clearly.

    Not sure: the words point to it, but the reply is long or pulls two ways; the conversation reads it
    back and asks, and never stores it as it is.
    """

    value: object
    sure: bool = True


def time_choices(policy: Policy) -> list[tuple[str, str]]:
    """The numbered choices a resident is offered for safe times: (id, English label)."""
    section = _section(policy)
    return (
        [(ANY_TIME, "Any time")]
        + [(p["id"], p["label"]) for p in section["periods"]]
        + [(d["id"], d["label"]) for d in section["days"] if d["id"] != "any_day"]
    )


def _label_words(label: str) -> str:
    return normalise(label.split("(")[0]).strip()


def _phrases_for(policy: Policy, answer: str) -> dict:
    return policy.raw["triage"].get("answers", {}).get(answer, {})


def _read(
    policy: Policy,
    answer: str,
    ids: list[str],
    text: str,
    lang: str,
    labels: dict[str, str] | None,
    multiple: bool,
    guess: bool = True,
) -> tuple[tuple[str, ...], bool]:
    """The choices a reply names: a number (only where the reply is numbers), a label, or the policy's words."""
    said = normalise(text)
    if not said:
        return (), False
    numbers = numbers_in(said)
    if numbers is not None:
        picked = [ids[n - 1] for n in dict.fromkeys(numbers) if 1 <= n <= len(ids)]
        if len(picked) != len(set(numbers)) or (not multiple and len(picked) != 1):
            return (), False
        return tuple(picked), True
    for cid, label in (labels or {}).items():
        if label and _label_words(label) == said and cid in ids:
            return (cid,), True
    hits = phrase_hits(_phrases_for(policy, answer), said, lang)
    # A label said within a longer reply counts as the words for it.
    for cid, label in (labels or {}).items():
        words = _label_words(label or "")
        if words and cid in ids:
            for match in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", said):
                hits.setdefault(cid, []).append(Hit(match.start(), match.end(), False))
    found, sure = choose(hits, ids, multiple, said)
    if found:
        return found, sure
    # Worded unlike any phrase: the nearest phrases' meaning, in any language, as a guess to read back.
    negated = [o for o, hs in hits.items() if all(h.negated for h in hs)]
    guessed = meanings.guess(policy.raw, answer, text, labels, exclude=negated) if guess else ()
    if guessed:
        return guessed, False
    # Words that say nothing we know, with a number among them ("4 please"): the number, read back to them.
    digits = [int(n) for n in _NUMBERS.findall(said)]
    picked = [ids[n - 1] for n in dict.fromkeys(digits) if 1 <= n <= len(ids)]
    if picked and (multiple or len(picked) == 1):
        return tuple(picked), False
    return (), False


def read_ways(
    policy: Policy, text: str, lang: str = "en", labels: dict[str, str] | None = None, guess: bool = True
) -> Understood | None:
    """What a reply to "how can we contact you safely?" means: the ways, or ["none"] for no contact at all.

    A negation is scoped to the way it stands on: "text me, no calls please" is text, not "no contact".
    `labels` are the numbered choices as the resident saw them (id -> label in their language).
    """
    found, sure = _read(policy, "contact_ways", list(CONTACT_WAYS), text, lang, labels, multiple=True, guess=guess)
    if not found:
        return None
    if "none" in found and len(found) > 1:
        # "Do not contact me" beside a way: by numbers, no contact wins (as it always has); in words, ask.
        if sure and numbers_in(text) is not None:
            return Understood(["none"], True)
        return Understood([w for w in found if w != "none"], False)
    return Understood(list(found), sure)


def read_times(policy: Policy, text: str, lang: str = "en", labels: dict[str, str] | None = None) -> Understood | None:
    """What a reply to "when is it safe to contact you?" means (a SafeTimes), or None when it says nothing of times.

    Numbers pick the numbered choices only where the reply is numbers: in "weekday evenings after 6" the 6 is
    a time of day, not choice 6. `labels` (id -> label in the resident's language) and the policy's words
    (`triage.answers.safe_times`) work in every language.
    """
    choices = [cid for cid, _ in time_choices(policy)]
    picked, sure = _read(policy, "safe_times", choices, text, lang, labels, multiple=True)
    if not picked:
        return None
    period_ids = [p["id"] for p in _section(policy)["periods"]]
    periods = tuple(p for p in period_ids if p in picked)
    days = "any_day"
    if "weekdays" in picked and "weekends" not in picked:
        days = "weekdays"
    elif "weekends" in picked and "weekdays" not in picked:
        days = "weekends"
    if ANY_TIME in picked and (periods or days != "any_day"):
        sure = False  # "any time" and a time of day: which?
    return Understood(SafeTimes(periods, days), sure)


def understand_times(
    policy: Policy, text: str, labels: dict[str, str] | None = None, lang: str = "en"
) -> SafeTimes | None:
    understood = read_times(policy, text, lang, labels)
    return understood.value if understood else None


def read_frequency(
    policy: Policy, text: str, lang: str = "en", labels: dict[str, str] | None = None
) -> Understood | None:
    """What a reply to "how often would you like an update?" means: a frequency id, or None."""
    ids = [f["id"] for f in frequencies(policy)]
    picked, sure = _read(policy, "update_frequency", ids, text, lang, labels, multiple=False)
    return Understood(picked[0], sure) if picked else None


def understand_frequency(
    policy: Policy, text: str, labels: dict[str, str] | None = None, lang: str = "en"
) -> str | None:
    understood = read_frequency(policy, text, lang, labels)
    return understood.value if understood else None


# --- closing a case, and the survey after --------------------------------------------------


def closure_reasons(policy: Policy) -> list[dict]:
    return _section(policy)["closure_reasons"]


def closure_reason(policy: Policy, reason_id: str) -> dict:
    for reason in closure_reasons(policy):
        if reason["id"] == reason_id:
            return reason
    raise KeyError(reason_id)


def survey(policy: Policy) -> list[dict]:
    return _section(policy)["survey"]


# A negation one word before an option's words: "not too happy", "nie jestem zadowolony", "no estoy satisfecho".
_SURVEY_NOT = re.compile(
    r"(?<!\w)(?:not|never|hardly|isn't|isnt|wasn't|wasnt|nie|nu|não|nao|nem|no|ni|nunca|لا|مش|مو|غير|ليس|ما)"
    r"\s+\w+\s+$"
)


def survey_answer(
    policy: Policy, question_index: int, text: str, lang: str = "en", labels: dict[str, str] | None = None
) -> str | None:
    """The option a text reply to survey question `question_index` picks, or None when it is not clear.

    Its number alone; its label (`labels`: option id -> label as the resident saw it, or the policy's); or
    the option's `phrases` in the resident's language or English, in a short reply that names that option
    only ("fairly satisfied i guess"); for options with ids "yes" and "no", the policy's yes and no words
    ("نعم", "tak") as well. A long reply, or one naming two options, is no answer: the question is asked again.
    """
    from asb_domain.answers import SURE_MAX_WORDS, is_yes

    options = survey(policy)[question_index]["options"]
    ids = [o["id"] for o in options]
    said = normalise(text).strip().rstrip(".!")
    if not said:
        return None
    numbers = numbers_in(said)
    if numbers is not None:
        return ids[numbers[0] - 1] if len(numbers) == 1 and 1 <= numbers[0] <= len(ids) else None
    for option in options:
        for label in ((labels or {}).get(option["id"]), option["label"]):
            if label and normalise(label).strip() == said:
                return option["id"]
    hits = phrase_hits({o["id"]: o.get("phrases") or {} for o in options}, said, lang)
    hits = {
        option: [Hit(h.start, h.end, True) if _SURVEY_NOT.search(said[: h.start]) else h for h in found]
        for option, found in hits.items()
    }
    chosen, sure = choose(hits, ids, False, said)
    if chosen:
        return chosen[0] if sure else None
    if {"yes", "no"} <= set(ids) and len(said.split()) <= SURE_MAX_WORDS:
        yes = is_yes(policy, said, lang)
        if yes is not None:
            return "yes" if yes else "no"
    return None


def satisfied(policy: Policy, answers: dict) -> bool | None:
    """Whether a resident was satisfied overall: the first survey question's top two answers."""
    first = survey(policy)[0]
    chosen = answers.get(first["id"])
    if chosen is None:
        return None
    scores = sorted({o["score"] for o in first["options"]}, reverse=True)
    option = next(o for o in first["options"] if o["id"] == chosen)
    return option["score"] in scores[:2]
