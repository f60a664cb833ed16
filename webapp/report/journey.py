"""The order of the web report's pages, which depends on the answers so far."""

from __future__ import annotations

from asb_domain.policy import Policy
from webapp.models import Report

RAM_PREFIX = "ram-"


def steps(policy: Policy, report: Report) -> list[str]:
    """Every page this report goes through, in order."""
    order = ["danger", "what"]
    if report.screened_matter:
        order.append("more-than-that")
    order.append("type")
    case_type = policy.case_types.get(report.case_type or "")
    if case_type and case_type.advice:
        order.append("advice")
    order += ["when", "where", "who"]
    order += [f"{RAM_PREFIX}{q.number}" for q in policy.questions]
    order += ["about-you", "contact"]
    if not report.no_contact:
        order += ["contact-safety", "updates"]
    order += ["consent", "check"]
    return order


def answered(policy: Policy, report: Report, step: str) -> bool:
    """Has the resident answered this page? (Optional pages count once visited.)"""
    done = report.draft.get("done", [])
    return step in done


def next_step(policy: Policy, report: Report, current: str) -> str:
    order = steps(policy, report)
    if current not in order:
        return first_unanswered(policy, report)
    return order[min(order.index(current) + 1, len(order) - 1)]


def previous_step(policy: Policy, report: Report, current: str) -> str | None:
    order = steps(policy, report)
    if current not in order or order.index(current) == 0:
        return None
    return order[order.index(current) - 1]


def first_unanswered(policy: Policy, report: Report) -> str:
    for step in steps(policy, report):
        if step != "check" and not answered(policy, report, step):
            return step
    return "check"
