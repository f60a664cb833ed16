"""Acknowledge-by dates: working days that skip weekends and England and Wales bank holidays."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from asb_domain.dates import acknowledge_by, add_working_days, bank_holidays, is_working_day
from tests.domain.factories import shipped_policy

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "urgent", "expected"),
    [
        # An ordinary Monday: next day if urgent, the Monday after otherwise.
        (at(2026, 11, 23), True, date(2026, 11, 24)),
        (at(2026, 11, 23), False, date(2026, 11, 30)),
        # Friday evening: urgent means Monday.
        (at(2026, 11, 27, 22), True, date(2026, 11, 30)),
        # Saturday: the weekend does not count.
        (at(2026, 11, 28), True, date(2026, 11, 30)),
        # Christmas 2026: Christmas Day is a Friday, Boxing Day a Saturday, so Monday 28 is the substitute day.
        (at(2026, 12, 24), True, date(2026, 12, 29)),
        (at(2026, 12, 24), False, date(2027, 1, 5)),
        # New Year 2027 is a Friday: from Thursday 31 Dec the next working day is Monday 4 Jan.
        (at(2026, 12, 31), True, date(2027, 1, 4)),
        # Christmas 2027: Christmas Day Saturday and Boxing Day Sunday, so Monday 27 and Tuesday 28 are substitute days.
        (at(2027, 12, 24), True, date(2027, 12, 29)),
        # ... and New Year's Day 2028 is a Saturday: Monday 3 Jan 2028 is its substitute day.
        (at(2027, 12, 24), False, date(2028, 1, 5)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (at(2027, 3, 25), True, date(2027, 3, 30)),
        (at(2027, 3, 25), False, date(2027, 4, 5)),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (at(2026, 4, 2), True, date(2026, 4, 7)),
    ],
)
def test_acknowledge_by_skips_weekends_and_bank_holidays(received, urgent, expected):
    assert acknowledge_by(shipped_policy(), received, urgent) == expected


def test_a_report_just_after_midnight_in_summer_counts_from_the_london_date():
    # 23:30 UTC on Sunday 5 July 2026 is 00:30 BST on Monday 6 July.
    received = datetime(2026, 7, 5, 23, 30, tzinfo=timezone.utc)
    assert acknowledge_by(shipped_policy(), received, urgent=True) == date(2026, 7, 7)


def test_a_time_without_a_timezone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        acknowledge_by(shipped_policy(), datetime(2026, 7, 6, 10), urgent=True)


def test_the_substitute_days_are_not_working_days():
    policy = shipped_policy()
    for day in (date(2026, 12, 28), date(2027, 12, 27), date(2027, 12, 28), date(2028, 1, 3)):
        assert not is_working_day(policy, day), day


def test_zero_working_days_is_the_same_day():
    assert add_working_days(shipped_policy(), date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_bank_holidays_match_the_gov_uk_list_for_england_and_wales_2012_to_2028():
    govuk = pytest.importorskip("govuk_bank_holidays.bank_holidays")  # installed in the web app's environment
    cached = govuk.BankHolidays(use_cached_holidays=True)
    expected = {h["date"] for h in cached.get_holidays(division=govuk.BankHolidays.ENGLAND_AND_WALES)}
    assert min(expected).year == 2012 and max(expected).year == 2028
    calendar = bank_holidays(shipped_policy())
    ours = set()
    day = date(2012, 1, 1)
    while day <= date(2028, 12, 31):
        # `holidays` also lists the date a holiday falls on at a weekend; GOV.UK lists the day off.
        if day in calendar and day.weekday() < 5:
            ours.add(day)
        day += timedelta(days=1)
    assert sorted(ours - expected) == []
    assert sorted(expected - ours) == []
    # Including the one-off days: jubilees, the Queen's funeral, the coronation.
    assert {date(2012, 6, 5), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)} <= ours
