"""The one triage function, on the policy's rules alone (the bot's NLU adds to them when running)."""

import pytest

from asb_domain.triage import NluResult, triage
from tests.domain.factories import shipped_policy


@pytest.mark.parametrize(
    "text",
    [
        "he has a knife and is outside my door",
        "someone is trying to break in right now",
        "my neighbour said hes gonna kill me",
        "the flat downstairs is on fire",
        "my partner is hitting me",
    ],
)
def test_danger_in_any_words_is_an_emergency(text):
    assert triage(shipped_policy(), text).outcome == "emergency"


@pytest.mark.parametrize(
    ("text", "matter"),
    [
        ("I can hear footsteps from upstairs", "footsteps"),
        ("the smell of cooking from next door", "cooking_odours"),
        ("someone parks in my space", "parking"),
        ("kids playing football in the courtyard", "children_playing"),
        ("their washing machine is noisy", "domestic_appliances"),
        ("they had a party for their birthday on saturday", "one_off_party"),
        ("he gives me funny looks", "unfriendly_looks"),
    ],
)
def test_matters_the_policy_does_not_treat_as_asb_are_screened_out(text, matter):
    result = triage(shipped_policy(), text)
    assert result.outcome == "not_asb"
    assert result.matter == matter
    assert result.case_type == shipped_policy().not_asb[matter].case_type


@pytest.mark.parametrize(
    ("text", "matter", "case_type"),
    [
        ("he is stamping on purpose at 3am since i complained", "footsteps", "noise"),
        ("they have a party every weekend till 4am", "one_off_party", "communal_misuse"),
        ("he threatened me over the parking space", "parking", "violence_threats"),
    ],
)
def test_the_tricky_exceptions_are_asb_after_all(text, matter, case_type):
    result = triage(shipped_policy(), text)
    assert result.outcome == "asb"
    assert result.matter == matter
    assert result.case_type == case_type


def test_cannabis_smoke_is_not_cooking_odours():
    result = triage(shipped_policy(), "my neighbour smokes cannabis and it comes into my flat")
    assert result.outcome == "asb"
    assert result.case_type == "drug_alcohol_nuisance"
    assert result.category == "nuisance"


def test_abuse_about_a_wheelchair_is_a_hate_incident_with_true_vision_advice():
    result = triage(shipped_policy(), "he shouts at me about my wheelchair")
    assert result.case_type == "hate_crime"
    assert result.flags == ("hate",)
    assert "true_vision" in result.advice


def test_an_ex_partner_turning_up_is_domestic_abuse_with_the_helpline():
    result = triage(shipped_policy(), "my ex keeps turning up and won't leave me alone")
    assert result.case_type == "domestic_abuse"
    assert "domestic_abuse" in result.flags
    assert "domestic_abuse_helpline" in result.advice


def test_texting_style_is_understood():
    result = triage(shipped_policy(), "LOUD MUSIC every nite till 3am rn cant sleep")
    assert result.outcome == "asb"
    assert result.case_type == "noise"
    assert "unreasonable_hours" in result.signs


def test_the_nlu_adds_to_the_rules_but_never_hides_danger():
    def nlu(text, lang):
        return NluResult(emergency=False, case_type="noise")

    assert triage(shipped_policy(), "he has a knife", nlu=nlu).outcome == "emergency"
    understood = triage(shipped_policy(), "that racket from number 12", nlu=nlu)
    assert understood.case_type == "noise"
    assert understood.source == "rules+nlu"


def test_the_json_shape_landlords_check_against():
    result = triage(shipped_policy(), "I can hear footsteps from upstairs")
    assert result.as_dict() == {
        "outcome": "not_asb",
        "category": "nuisance",
        "case_type": "noise",
        "matter": "footsteps",
        "flags": [],
    }


@pytest.mark.parametrize(
    ("text", "case_type"),
    [
        ("someone keyed my car the day after a row about parking", "vandalism_graffiti"),
        ("me han pinchado las ruedas en el parking del bloque", "vandalism_graffiti"),
        ("baietii vand iarba langa locul de joaca", "drug_dealing"),
    ],
)
def test_damage_or_dealing_told_with_a_screened_matter_is_still_asb(text, case_type):
    lang = {"me": "es", "ba": "ro"}.get(text[:2], "en")  # the language the text is in
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.case_type == case_type


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my ex used to hit me, and now he keeps ringing me 20 times a day", "en"),
        ("mi ex me pegaba y ahora sigue viniendo a mi portal y llamandome 30 veces al dia", "es"),
        ("fostul partener m-a lovit cand eram impreuna si acum tot vine la usa si ma suna de zeci de ori pe zi", "ro"),
    ],
)
def test_abuse_told_as_the_past_while_the_harassment_goes_on_is_a_high_risk_report_not_a_999_call(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.case_type == "domestic_abuse"


@pytest.mark.parametrize(
    "text",
    [
        "he used to hit me, now he's hitting me again and again",
        "he hit me last week and now he's outside my door",
        "last night he hit me and he keeps texting that he's coming back tonight to kill me",
    ],
)
def test_danger_happening_now_stays_an_emergency_whatever_happened_before(text):
    assert triage(shipped_policy(), text).outcome == "emergency"
