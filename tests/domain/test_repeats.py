"""Repeat victims (same person or same address within 12 months) and ASB Case Review eligibility."""

from datetime import datetime, timezone

from asb_domain.repeats import PastReport, address_key, check_repeats, contact_key, phone_key
from tests.domain.factories import shipped_policy


def when(y, m, d):
    return datetime(y, m, d, 12, tzinfo=timezone.utc)


def past(ref, at, phone=None, address=None, postcode=None, status="submitted"):
    return PastReport(ref, at, contact_key(phone), address_key(address, postcode), status)


def test_two_reports_from_one_address_within_twelve_months_are_a_repeat():
    earlier = [
        past("111111111", when(2026, 2, 1), phone="07700 900001", address="Flat 3, 12 High St", postcode="AB1 2CD")
    ]
    result = check_repeats(
        shipped_policy(),
        when(2026, 11, 23),
        contact_key("07700 900999"),  # someone else in the same home
        address_key("12 High Street, flat 3", "ab12cd"),
        earlier,
    )
    assert result.repeat_victim
    assert result.linked == ("111111111",)


def test_the_same_person_from_another_address_is_a_repeat():
    earlier = [past("111111111", when(2026, 6, 1), phone="+44 7700 900001", address="1 Low Rd", postcode="ZZ9 9ZZ")]
    result = check_repeats(shipped_policy(), when(2026, 11, 23), contact_key("07700900001"), None, earlier)
    assert result.repeat_victim


def test_a_report_more_than_twelve_months_ago_is_not_a_repeat():
    earlier = [past("111111111", when(2025, 11, 22), address="12 High St", postcode="AB1 2CD")]
    result = check_repeats(shipped_policy(), when(2026, 11, 23), None, address_key("12 High St", "AB1 2CD"), earlier)
    assert not result.repeat_victim
    assert result.linked == ()


def test_a_neighbour_at_a_different_number_is_not_a_repeat():
    earlier = [past("111111111", when(2026, 6, 1), address="14 High St", postcode="AB1 2CD")]
    result = check_repeats(shipped_policy(), when(2026, 11, 23), None, address_key("12 High St", "AB1 2CD"), earlier)
    assert not result.repeat_victim


def test_a_third_report_in_six_months_qualifies_for_an_asb_case_review():
    home = ("12 High St", "AB1 2CD")
    earlier = [past("111111111", when(2026, 7, 1), address=home[0], postcode=home[1])]
    second = check_repeats(shipped_policy(), when(2026, 9, 1), None, address_key(*home), earlier)
    assert not second.case_review_eligible
    earlier.append(past("222222222", when(2026, 9, 1), address=home[0], postcode=home[1]))
    third = check_repeats(shipped_policy(), when(2026, 11, 23), None, address_key(*home), earlier)
    assert third.case_review_eligible
    assert third.reports_in_case_review_window == 3


def test_reports_older_than_six_months_or_resolved_do_not_count_towards_a_case_review():
    home = ("12 High St", "AB1 2CD")
    earlier = [
        past("111111111", when(2026, 4, 1), address=home[0], postcode=home[1]),  # over six months ago
        past("222222222", when(2026, 9, 1), address=home[0], postcode=home[1], status="closed_resolved"),
    ]
    result = check_repeats(shipped_policy(), when(2026, 11, 23), None, address_key(*home), earlier)
    assert result.repeat_victim
    assert not result.case_review_eligible


def test_uk_phone_numbers_are_matched_however_they_are_written():
    assert phone_key("07700 900123") == phone_key("+44 (0)7700 900123") == phone_key("0044 7700-900123")
    assert phone_key("not a phone") is None
