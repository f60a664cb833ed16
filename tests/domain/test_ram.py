"""RAM scoring as a landlord would check it against the paper scorecard."""

import pytest

from asb_domain.ram import InvalidAnswer, assess
from tests.domain.factories import quiet_answers, shipped_policy


def test_a_quiet_report_scores_two_low_band_low_priority():
    result = assess(shipped_policy(), quiet_answers(), "noise")
    assert result.total == 2
    assert {a.question_id: a.score for a in result.breakdown if a.score} == {"q6_other_agencies": 1, "q10_affected": 1}
    assert result.band == "low"
    assert result.priority == "low"
    assert result.urgent is False
    assert result.handling_role == "community_housing_manager"


def test_worked_example_nightly_noise_scores_nineteen_medium():
    # Daily (5), linked (2), worse (2), known a little (1), told police (0), aimed at family (3),
    # quite a lot (2), mental health (3), a few people (1) = 19
    answers = quiet_answers() | {
        "q1_frequency": "daily",
        "q2_linked": "yes",
        "q3_worsening": "yes",
        "q4_know_them": "known",
        "q6_other_agencies": "yes",
        "q7_targeted": "family",
        "q10_affected": "moderately",
        "q11_health": ["mental"],
        "q13_support_network": "a_few",
    }
    result = assess(shipped_policy(), answers, "noise")
    assert result.total == 19
    assert [a.score for a in result.breakdown] == [5, 2, 2, 1, 0, 0, 3, 0, 0, 2, 3, 0, 1, 0]
    assert result.band == "medium"
    assert result.priority == "medium"
    assert not result.overrides


def test_worked_example_isolated_resident_harassed_before_scores_thirty_eight_high():
    answers = {
        "q1_frequency": "daily",
        "q2_linked": "yes",
        "q3_worsening": "yes",
        "q4_know_them": "know_well",
        "q5_history": "harassed_before",
        "q6_other_agencies": "no",
        "q7_targeted": "you",
        "q8_identity": "no",
        "q9_circumstances": "yes",
        "q10_affected": "extremely",
        "q11_health": ["physical", "mental"],
        "q12_professional_support": "no",
        "q13_support_network": "alone_isolated",
        "q14_others_affected": ["family"],
    }
    result = assess(shipped_policy(), answers, "noise")
    assert [a.score for a in result.breakdown] == [5, 2, 2, 2, 4, 1, 4, 0, 3, 5, 6, 0, 3, 1]
    assert result.total == 38
    assert result.band == "high"
    assert result.priority == "high"
    assert result.urgent is True


def test_band_edges_fifteen_is_low_sixteen_medium_twenty_one_medium_twenty_two_high():
    policy = shipped_policy()
    # 15: daily 5 + harassed before 4 + aimed at me 4 + linked 2
    fifteen = quiet_answers() | {
        "q1_frequency": "daily",
        "q5_history": "harassed_before",
        "q7_targeted": "you",
        "q6_other_agencies": "yes",
        "q10_affected": "not_at_all",
        "q2_linked": "yes",
    }
    assert assess(policy, fifteen).total == 15 and assess(policy, fifteen).band == "low"
    sixteen = fifteen | {"q10_affected": "a_little"}
    assert assess(policy, sixteen).total == 16 and assess(policy, sixteen).band == "medium"
    twenty_one = fifteen | {"q10_affected": "a_lot", "q3_worsening": "yes", "q14_others_affected": ["family"]}
    assert assess(policy, twenty_one).total == 21 and assess(policy, twenty_one).band == "medium"
    twenty_two = twenty_one | {"q12_professional_support": "yes"}
    assert assess(policy, twenty_two).total == 22 and assess(policy, twenty_two).band == "high"


def test_currently_being_harassed_raises_a_low_total_to_high_priority():
    answers = quiet_answers() | {"q5_history": "harassing_now"}
    result = assess(shipped_policy(), answers, "noise")
    assert result.total == 8
    assert result.band == "low"
    assert result.priority == "high"
    assert result.urgent is True
    assert result.priority_reasons == ["The resident says they are being harassed now."]


def test_a_yes_to_question_eight_is_high_priority_and_a_possible_hate_incident():
    answers = quiet_answers() | {"q8_identity": "yes"}
    result = assess(shipped_policy(), answers, "neighbour_dispute")
    assert result.total == 5
    assert result.priority == "high"
    assert "hate" in result.flags
    assert [o.id for o in result.overrides] == ["possible_hate_incident"]


def test_a_high_risk_case_type_is_high_priority_whatever_the_total_and_goes_to_the_tem():
    result = assess(shipped_policy(), quiet_answers(), "domestic_abuse")
    assert result.band == "low"
    assert result.priority == "high"
    assert result.handling_role == "tenancy_enforcement_manager"
    assert "domestic_abuse" in result.flags


def test_skipped_questions_score_nothing_and_show_as_skipped():
    result = assess(shipped_policy(), {"q1_frequency": "most_days"})
    assert result.total == 3
    assert sum(1 for a in result.breakdown if a.skipped) == 13


def test_an_option_the_question_does_not_have_is_refused():
    with pytest.raises(InvalidAnswer, match="q1_frequency has no option 'hourly'"):
        assess(shipped_policy(), {"q1_frequency": "hourly"})


def test_two_answers_to_a_single_answer_question_are_refused():
    with pytest.raises(InvalidAnswer, match="takes one answer"):
        assess(shipped_policy(), {"q7_targeted": ["you", "family"]})
