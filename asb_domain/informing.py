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

# Words in English for the safe-times and frequency questions; a number or an option's label works in every language.
_TIME_WORDS = {
    ANY_TIME: ("any time", "anytime", "whenever", "any", "always"),
    "mornings": ("morning",),
    "afternoons": ("afternoon", "lunch"),
    "evenings": ("evening", "after work", "after 5", "after 6", "after 6pm", "after 5pm", "night"),
    "weekdays": ("weekday", "week day", "monday to friday", "mon-fri"),
    "weekends": ("weekend", "saturday", "sunday"),
}
_FREQUENCY_WORDS = {
    "weekly": ("week", "weekly", "7 days"),
    "fortnightly": ("fortnight", "2 weeks", "two weeks", "14 days"),
    "monthly": ("month", "monthly"),
}


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


def understand_times(policy: Policy, text: str, labels: dict[str, str] | None = None) -> SafeTimes | None:
    """What a reply to "when is it safe to contact you?" means, or None when it is not clear.

    Numbers pick the numbered choices; `labels` (id -> label in the resident's
    language) and English words work too.
    """
    said = normalise(text)
    choices = [cid for cid, _ in time_choices(policy)]
    picked: set[str] = set()
    for match in _NUMBERS.findall(said):
        n = int(match)
        if 1 <= n <= len(choices):
            picked.add(choices[n - 1])
    if not picked:
        for cid, label in (labels or {}).items():
            if label and _label_words(label) and _label_words(label) in said:
                picked.add(cid)
        for cid, words in _TIME_WORDS.items():
            if any(re.search(r"(?<!\w)" + re.escape(w), said) for w in words):
                picked.add(cid)
    if not picked:
        return None
    period_ids = [p["id"] for p in _section(policy)["periods"]]
    periods = tuple(p for p in period_ids if p in picked)
    days = "any_day"
    if "weekdays" in picked and "weekends" not in picked:
        days = "weekdays"
    elif "weekends" in picked and "weekdays" not in picked:
        days = "weekends"
    return SafeTimes(periods, days)


def understand_frequency(policy: Policy, text: str, labels: dict[str, str] | None = None) -> str | None:
    said = normalise(text)
    ids = [f["id"] for f in frequencies(policy)]
    numbers = [int(n) for n in _NUMBERS.findall(said) if 1 <= int(n) <= len(ids)]
    if len(numbers) == 1 and said.strip().isdigit():
        return ids[numbers[0] - 1]
    for fid, label in (labels or {}).items():
        if label and normalise(label) in said:
            return fid
    # Longest words first: "every 2 weeks" is fortnightly, not weekly.
    for fid in ("fortnightly", "monthly", "weekly"):
        if fid in ids and any(w in said for w in _FREQUENCY_WORDS[fid]):
            return fid
    if len(numbers) == 1:
        return ids[numbers[0] - 1]
    return None


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


def survey_answer(policy: Policy, question_index: int, text: str) -> str | None:
    """The option a text reply to survey question `question_index` picks: its number, alone."""
    options = survey(policy)[question_index]["options"]
    said = normalise(text).strip().rstrip(".!")
    if said.isdigit() and 1 <= int(said) <= len(options):
        return options[int(said) - 1]["id"]
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
