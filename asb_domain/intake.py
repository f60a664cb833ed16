"""Everything the domain core decides about a report at the moment it is submitted.

One function, used by every channel through the store, so a web, chat, SMS or
phone report with the same answers gets the same score, priority and dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from asb_domain.dates import acknowledge_by
from asb_domain.policy import Policy
from asb_domain.ram import Assessment, assess
from asb_domain.repeats import PastReport, RepeatCheck, address_key, check_repeats, contact_key, months_before

# Finds earlier reports by this person (contact key) or at this home (address key) submitted since a moment.
EarlierReports = Callable[[str | None, str | None, datetime], Iterable[PastReport]]


@dataclass(frozen=True)
class Decision:
    assessment: Assessment
    category: str | None
    acknowledge_by: date
    contact_key: str | None
    address_key: str | None
    repeats: RepeatCheck


def decide(
    policy: Policy,
    *,
    answers: Mapping[str, str | Iterable[str] | None],
    case_type: str | None,
    received_at: datetime,
    phone: str | None = None,
    email: str | None = None,
    address: str | None = None,
    postcode: str | None = None,
    earlier: EarlierReports | None = None,
) -> Decision:
    assessment = assess(policy, answers, case_type)
    person = contact_key(phone, email)
    home = address_key(address, postcode)
    since = months_before(received_at, max(policy.repeat_window_months, policy.case_review["window_months"]))
    past = earlier(person, home, since) if earlier and (person or home) else ()
    return Decision(
        assessment=assessment,
        category=policy.case_types[case_type].category if case_type else None,
        acknowledge_by=acknowledge_by(policy, received_at, assessment.urgent),
        contact_key=person,
        address_key=home,
        repeats=check_repeats(policy, received_at, person, home, past),
    )
