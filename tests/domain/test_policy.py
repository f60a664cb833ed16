"""The policy file: everything the seed policy sets, as data a landlord can edit and check."""

import pytest

from asb_domain.policy import PolicyError, load_policy, parse_policy
from tests.domain.factories import policy_text, policy_with, shipped_policy, write_policy


def test_shipped_policy_holds_the_twelve_matters_not_treated_as_asb_each_with_reason_help_and_way_on():
    policy = shipped_policy()
    assert list(policy.not_asb) == [
        "banging_doors",
        "footsteps",
        "loud_talking",
        "children_playing",
        "low_level_tv_radio",
        "diy_reasonable_hours",
        "one_off_party",
        "domestic_appliances",
        "cooking_odours",
        "parking",
        "lifestyle_differences",
        "unfriendly_looks",
    ]
    self_help = set(policy.ids("self_help"))
    for matter in policy.not_asb.values():
        assert matter.reason
        assert set(matter.what_you_can_do) <= self_help
        assert matter.asb_after_all
    assert "environmental_health" in policy.not_asb["low_level_tv_radio"].what_you_can_do


def test_shipped_policy_has_the_fourteen_ram_questions_with_the_scorecard_scores():
    policy = shipped_policy()
    assert [q.number for q in policy.questions] == list(range(1, 15))
    assert [o.score for o in policy.question("q1_frequency").options] == [5, 3, 2, 1, 0]
    assert [o.score for o in policy.question("q5_history").options] == [6, 4, 2, 0]
    assert [o.score for o in policy.question("q10_affected").options] == [0, 1, 2, 3, 5]
    assert [q.id for q in policy.questions if q.multiple] == ["q11_health", "q14_others_affected"]
    assert [q.number for q in policy.questions if q.consent] == [6, 12]


def test_shipped_policy_sets_default_bands_response_times_contacts_and_thresholds():
    policy = shipped_policy()
    assert [(b.id, b.min, b.max) for b in policy.bands] == [("low", 0, 15), ("medium", 16, 21), ("high", 22, None)]
    assert {o.id for o in policy.overrides} == {"high_risk_case_type", "currently_harassed", "possible_hate_incident"}
    assert policy.response_times["urgent_working_days"] == 1
    assert policy.response_times["standard_working_days"] == 5
    assert policy.contact("emergency")["number"] == "999"
    assert policy.contact("emergency_text_relay")["number"] == "18000"
    assert policy.contact("police_non_emergency")["number"] == "101"
    assert policy.contact("police_non_emergency_text_relay")["number"] == "18001 101"
    assert policy.contact("domestic_abuse_helpline")["number"] == "0808 2000 247"
    assert policy.contact("true_vision")["url"].startswith("https://")
    assert policy.repeat_window_months == 12
    assert policy.case_review == {"reports": 3, "window_months": 6}


def test_every_high_risk_case_type_goes_to_the_tenancy_enforcement_manager():
    policy = shipped_policy()
    for case_type in policy.case_types.values():
        expected = "tenancy_enforcement_manager" if case_type.risk == "high" else "community_housing_manager"
        assert case_type.handler == expected, case_type.id
    assert {c.category for c in policy.case_types.values()} == {"personal", "nuisance", "environmental"}


def test_a_score_that_is_not_a_number_is_reported_with_its_field_and_line(tmp_path):
    text = policy_text().replace("label: Every day, score: 5,", "label: Every day, score: five,")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "score: five" in row)
    with pytest.raises(PolicyError) as caught:
        load_policy(write_policy(tmp_path, text))
    message = str(caught.value)
    assert "ram.questions[0].options[0].score" in message
    assert f"line {line}:" in message
    assert "'five' is not of type 'integer'" in message


def test_a_handler_that_is_not_a_role_is_named(tmp_path):
    path = policy_with(tmp_path, lambda d: d["case_types"][0].update(handler="housing_officer"))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "case_types[0].handler: 'housing_officer' is not one of the roles" in str(caught.value)


def test_bands_with_a_gap_are_refused(tmp_path):
    path = policy_with(tmp_path, lambda d: d["ram"]["bands"][1].update(min=17))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "band 'low' must end one below where 'medium' starts (17)" in str(caught.value)


def test_every_problem_is_listed_at_once(tmp_path):
    def break_twice(data):
        del data["response_times"]["urgent_working_days"]
        data["not_asb"][3]["reasons"] = "typo for reason"

    with pytest.raises(PolicyError) as caught:
        load_policy(policy_with(tmp_path, break_twice))
    message = str(caught.value)
    assert "response_times: is missing a field: 'urgent_working_days' is a required property" in message
    assert "not_asb[3]: has a field the policy does not know" in message
    assert "2 problem(s)" in message


def test_text_that_is_not_yaml_gives_the_line():
    with pytest.raises(PolicyError) as caught:
        parse_policy("landlord:\n  name: [unclosed\nram: 1\n")
    assert "is not valid YAML" in str(caught.value)
    assert "line " in str(caught.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nope.yaml")
    assert "cannot be read" in str(caught.value)
