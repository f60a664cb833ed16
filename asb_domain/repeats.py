"""Repeat victims and the ASB Case Review.

A repeat victim: more than one report by the same person, or at the same
address, within the policy's window (12 months by default). The ASB Case Review
("community trigger"): the policy's number of reports (3) within its window
(6 months), counting the new one, where the problem has not been dealt with.

Reports are matched on normalised keys, so "07700 900123" and "+44 7700
900123", or "Flat 3, 12 High St, ab1 2cd" and "12 High Street flat 3 AB12CD",
are the same.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from asb_domain.policy import Policy

# Statuses that mean the problem was dealt with: they do not count towards a
# case review, though they still make a repeat victim.
RESOLVED_STATUSES = frozenset({"closed_resolved"})


def phone_key(phone: str | None) -> str | None:
    """A UK phone number in E.164 form (+447700900123), or None if it is not one."""
    if not phone:
        return None
    digits = re.sub(r"[^\d+]", "", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0"):
        digits = "+44" + digits[1:]
    if digits.startswith("+440"):
        digits = "+44" + digits[4:]
    return digits if re.fullmatch(r"\+\d{8,15}", digits) else None


def email_key(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.strip().lower()


def contact_key(phone: str | None = None, email: str | None = None) -> str | None:
    """One key for a person: the phone number if there is one, else the email."""
    return phone_key(phone) or email_key(email)


KEY_LENGTH = 254  # the longest key the store keeps

_ABBREVIATIONS = {"st": "street", "rd": "road", "ave": "avenue", "ln": "lane", "ct": "court", "dr": "drive"}


def postcode_key(postcode: str | None) -> str | None:
    if not postcode:
        return None
    cleaned = re.sub(r"\s+", "", postcode).upper()
    return cleaned if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}", cleaned) else None


def address_key(address: str | None, postcode: str | None = None) -> str | None:
    """A key for a home: postcode plus the flat and house numbers, in any order.

    Numbers pick out a home on a street far better than the words around them,
    which people write in many ways. With no numbers, the words are used.
    """
    text = (address or "").lower()
    pc = postcode_key(postcode)
    if pc is None:
        # A postcode written at the end of the address line.
        match = re.search(r"([a-z]{1,2}\d[a-z\d]?)\s*(\d[a-z]{2})\s*$", text)
        if match:
            pc = postcode_key(match.group(1) + match.group(2))
            text = text[: match.start()]
    words = re.findall(r"[a-z0-9]+", text)
    numbers = sorted(w for w in words if any(ch.isdigit() for ch in w))
    if pc and numbers:
        tail = " ".join(numbers)
    else:
        # Without a postcode, numbers alone match too many homes: use every word.
        tail = " ".join(_ABBREVIATIONS.get(w, w) for w in words)
    if not pc and not tail:
        return None
    # Capped at what the store keeps (reports.address_key is 254 characters): without a postcode every word is
    # used, and an address of many "st"s grows past it ("street"), which was a 500 on PostgreSQL when the
    # report was sent. The same address still gives the same key, so matching is unchanged.
    return f"{pc or '?'}|{tail}"[:KEY_LENGTH]


@dataclass(frozen=True)
class PastReport:
    reference: str
    submitted_at: datetime
    contact_key: str | None
    address_key: str | None
    status: str = "submitted"


@dataclass(frozen=True)
class RepeatCheck:
    repeat_victim: bool
    linked: tuple[str, ...]  # references of earlier reports by the same person or at the same address
    case_review_eligible: bool
    reports_in_case_review_window: int


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def check_repeats(
    policy: Policy,
    submitted_at: datetime,
    contact: str | None,
    address: str | None,
    earlier: Iterable[PastReport],
) -> RepeatCheck:
    """Is this a repeat victim, which earlier reports link to it, and may they ask for a case review?"""
    repeat_since = months_before(submitted_at, policy.repeat_window_months)
    review_since = months_before(submitted_at, policy.case_review["window_months"])

    linked, review_count = [], 1  # the new report counts towards a case review
    for past in sorted(earlier, key=lambda r: r.submitted_at):
        same = (contact is not None and past.contact_key == contact) or (
            address is not None and past.address_key == address
        )
        if not same or past.submitted_at > submitted_at:
            continue
        if past.submitted_at >= repeat_since:
            linked.append(past.reference)
        if past.submitted_at >= review_since and past.status not in RESOLVED_STATUSES:
            review_count += 1
    return RepeatCheck(
        repeat_victim=bool(linked),
        linked=tuple(linked),
        case_review_eligible=review_count >= policy.case_review["reports"],
        reports_in_case_review_window=review_count,
    )
