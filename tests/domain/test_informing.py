"""Safe times, update schedules and survey answers, from the policy's keeping_informed section."""

from datetime import date, datetime, timezone

import pytest

from asb_domain.informing import (
    SafeTimes,
    is_safe_now,
    next_safe_moment,
    satisfied,
    survey_answer,
    understand_frequency,
    understand_times,
    update_due,
)
from tests.domain.factories import shipped_policy

UTC = timezone.utc  # datetime.UTC is Python 3.11; the domain runs on the bot's 3.10 too

# Wednesday 2 December 2026 (GMT: London is UTC in winter).
WED_10AM = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_a_resident_who_said_evenings_hears_nothing_until_5pm():
    policy = shipped_policy()
    evenings = SafeTimes(("evenings",), "any_day")
    assert next_safe_moment(policy, evenings, WED_10AM) == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    assert is_safe_now(policy, evenings, datetime(2026, 12, 2, 18, 30, tzinfo=UTC))


def test_after_the_evening_window_the_next_one_is_tomorrow_evening():
    policy = shipped_policy()
    evenings = SafeTimes(("evenings",))
    assert next_safe_moment(policy, evenings, datetime(2026, 12, 2, 21, 30, tzinfo=UTC)) == datetime(
        2026, 12, 3, 17, 0, tzinfo=UTC
    )


def test_any_time_still_means_within_the_landlords_hours():
    policy = shipped_policy()
    assert is_safe_now(policy, SafeTimes(), WED_10AM)
    assert next_safe_moment(policy, SafeTimes(), datetime(2026, 12, 2, 2, 0, tzinfo=UTC)) == datetime(
        2026, 12, 2, 8, 0, tzinfo=UTC
    )


def test_weekends_only_waits_from_wednesday_to_saturday_morning():
    policy = shipped_policy()
    assert next_safe_moment(policy, SafeTimes((), "weekends"), WED_10AM) == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def test_safe_times_follow_london_summer_time():
    policy = shipped_policy()
    # 1 July 2026, 15:30 UTC is 16:30 in London: evenings open at 17:00 BST, 16:00 UTC.
    moment = next_safe_moment(policy, SafeTimes(("evenings",)), datetime(2026, 7, 1, 15, 30, tzinfo=UTC))
    assert moment == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reply", "periods", "days"),
    [
        ("4", ("evenings",), "any_day"),
        ("2 and 5", ("mornings",), "weekdays"),
        ("weekday evenings", ("evenings",), "weekdays"),
        ("any time", (), "any_day"),
        ("weekends in the afternoon", ("afternoons",), "weekends"),
    ],
)
def test_a_free_text_reply_about_safe_times_is_understood(reply, periods, days):
    assert understand_times(shipped_policy(), reply) == SafeTimes(periods, days)


def test_a_reply_that_says_nothing_about_times_is_not_understood():
    assert understand_times(shipped_policy(), "Sam") is None


@pytest.mark.parametrize(
    ("reply", "frequency"),
    [("1", "weekly"), ("every 2 weeks", "fortnightly"), ("once a month", "monthly"), ("2", "fortnightly")],
)
def test_how_often_a_resident_wants_updates_is_understood(reply, frequency):
    assert understand_frequency(shipped_policy(), reply) == frequency


def test_the_next_update_is_due_one_frequency_after_the_last_contact():
    policy = shipped_policy()
    assert update_due(policy, "weekly", date(2026, 12, 2)) == date(2026, 12, 9)
    assert update_due(policy, None, date(2026, 12, 2)) == date(2026, 12, 16)  # the default: every 2 weeks


def test_survey_answers_are_numbers_and_the_top_two_count_as_satisfied():
    policy = shipped_policy()
    assert survey_answer(policy, 0, "1") == "very_satisfied"
    assert survey_answer(policy, 0, "6") is None
    assert survey_answer(policy, 0, "1 or 2") is None  # one answer only
    assert satisfied(policy, {"satisfaction": "fairly_satisfied"}) is True
    assert satisfied(policy, {"satisfaction": "neither"}) is False
    assert satisfied(policy, {}) is None
