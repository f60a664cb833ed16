"""Risk Assessment Matrix scoring: total, per-question breakdown, band, priority and why.

The one place a report is scored. Web, chatbot, SMS and phone reports all come
through `assess`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from asb_domain.policy import Policy

# A resident may skip any question: a skipped question scores 0 and is shown as skipped.
SKIPPED: tuple[str, ...] = ()


class InvalidAnswer(ValueError):
    """An answer names an option the question does not have."""


@dataclass(frozen=True)
class ScoredAnswer:
    question_id: str
    number: int
    options: tuple[str, ...]  # empty when skipped
    score: int

    @property
    def skipped(self) -> bool:
        return not self.options


@dataclass(frozen=True)
class AppliedOverride:
    id: str
    reason: str
    priority: str


@dataclass(frozen=True)
class Assessment:
    total: int
    breakdown: tuple[ScoredAnswer, ...]
    band: str  # risk level from the total alone
    priority: str  # band's priority, raised by any override
    urgent: bool  # decides the response time
    overrides: tuple[AppliedOverride, ...]
    flags: tuple[str, ...]  # e.g. "hate", "domestic_abuse"
    handling_role: str | None  # from the case type, else from the priority

    @property
    def priority_reasons(self) -> list[str]:
        if not self.overrides:
            return [f"RAM total {self.total} is in the {self.band} band"]
        return [o.reason for o in self.overrides]


def _as_options(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return SKIPPED
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def score_answers(policy: Policy, answers: Mapping[str, str | Iterable[str] | None]) -> tuple[ScoredAnswer, ...]:
    """Score each of the policy's questions from `answers` (question id -> option id(s))."""
    unknown = set(answers) - {q.id for q in policy.questions}
    if unknown:
        raise InvalidAnswer(f"no such RAM question: {', '.join(sorted(unknown))}")
    scored = []
    for question in policy.questions:
        chosen = _as_options(answers.get(question.id))
        if len(chosen) > 1 and not question.multiple:
            raise InvalidAnswer(f"{question.id} takes one answer, not {len(chosen)}")
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswer(f"{question.id}: an answer is given twice")
        try:
            score = sum(question.option(option_id).score for option_id in chosen)
        except KeyError as exc:
            raise InvalidAnswer(f"{question.id} has no option {exc.args[0]!r}") from None
        scored.append(ScoredAnswer(question.id, question.number, chosen, score))
    return tuple(scored)


def band_for(policy: Policy, total: int) -> str:
    for band in policy.bands:
        if band.contains(total):
            return band.id
    raise ValueError(f"no band holds total {total}")  # the policy check rules this out


def _rank(policy: Policy, priority: str) -> int:
    # Priorities are listed highest first in the policy.
    return list(policy.priorities).index(priority)


def assess(
    policy: Policy,
    answers: Mapping[str, str | Iterable[str] | None],
    case_type: str | None = None,
) -> Assessment:
    """Score a report's RAM answers and set its risk band, priority and handler."""
    breakdown = score_answers(policy, answers)
    total = sum(a.score for a in breakdown)
    band = band_for(policy, total)
    ct = policy.case_types.get(case_type) if case_type else None
    if case_type and ct is None:
        raise InvalidAnswer(f"no such case type: {case_type}")

    chosen = {a.question_id: set(a.options) for a in breakdown}
    applied = []
    for override in policy.overrides:
        if override.case_type_risk is not None:
            hit = ct is not None and ct.risk == override.case_type_risk
        else:
            hit = override.option in chosen.get(override.question, ())
        if hit:
            applied.append(AppliedOverride(override.id, override.reason, override.priority))

    priority = band
    for override in applied:
        if _rank(policy, override.priority) < _rank(policy, priority):
            priority = override.priority

    flags = []
    for answer in breakdown:
        question = policy.question(answer.question_id)
        flags += [question.option(o).flag for o in answer.options if question.option(o).flag]
    if ct is not None and ct.flag:
        flags.append(ct.flag)

    return Assessment(
        total=total,
        breakdown=breakdown,
        band=band,
        priority=priority,
        urgent=policy.priorities[priority].urgent,
        overrides=tuple(applied),
        flags=tuple(dict.fromkeys(flags)),
        # With no case type (the resident was not sure), the role that sees reports of this priority.
        handling_role=ct.handler if ct else next(iter(policy.role_for_risk(priority)), None),
    )
