"""Working days and the date a report must be acknowledged by.

Weekends and bank holidays do not count. Bank holidays come from the
`holidays` package for the policy's country and subdivision (GB/ENG by default:
England and Wales share their bank holidays; without the subdivision
`holidays` misses Easter Monday and the August bank holiday).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from asb_domain.policy import Policy


@lru_cache(maxsize=8)
def _calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # `years` grows on demand: the package adds a year the first time a date in it is asked about.
    return holidays.country_holidays(country, subdiv=subdivision)


def bank_holidays(policy: Policy) -> holidays.HolidayBase:
    setting = policy.response_times["bank_holidays"]
    return _calendar(setting["country"], setting.get("subdivision"))


def is_working_day(policy: Policy, day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(policy)


def add_working_days(policy: Policy, start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(policy, day):
            days -= 1
    return day


def local_date(policy: Policy, moment: datetime) -> date:
    """The landlord's calendar date at `moment` (a report at 00:30 BST is the next day)."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(ZoneInfo(policy.response_times["timezone"])).date()


def response_days(policy: Policy, urgent: bool) -> int:
    times = policy.response_times
    return times["urgent_working_days"] if urgent else times["standard_working_days"]


def acknowledge_by(policy: Policy, received: datetime, urgent: bool) -> date:
    """The date by which the landlord must acknowledge a report received at `received`."""
    return add_working_days(policy, local_date(policy, received), response_days(policy, urgent))
