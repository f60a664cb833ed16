"""The policy's retention settings: local settings, checked like the rest of the policy."""

import pytest

from asb_domain.policy import PolicyError, load_policy
from tests.domain.factories import policy_text, policy_with, shipped_policy


def test_the_shipped_policy_sets_the_retention_times_as_local_settings():
    assert shipped_policy().raw["retention"] == {
        "unsubmitted_report_days": 30,
        "closed_report_years": 6,
        "message_days": 90,
    }
    section = policy_text().split("\nretention:\n", 1)[1].split("\n\n", 1)[0]
    assert "local" in section and "settings" in section


def test_a_policy_without_the_closed_report_retention_or_with_zero_message_days_is_refused(tmp_path):
    missing = policy_with(tmp_path, lambda d: d["retention"].pop("closed_report_years"))
    with pytest.raises(PolicyError) as caught:
        load_policy(missing)
    assert "retention: is missing a field: 'closed_report_years' is a required property" in str(caught.value)
    zero = policy_with(tmp_path, lambda d: d["retention"].update(message_days=0))
    with pytest.raises(PolicyError) as caught:
        load_policy(zero)
    assert "retention.message_days: 0 is less than the minimum of 1" in str(caught.value)
