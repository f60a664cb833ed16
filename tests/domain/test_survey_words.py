"""Survey replies in words, in the resident's language: understood when clear, never guessed when not."""

import pytest

from asb_domain.informing import survey_answer
from tests.domain.factories import shipped_policy

SATISFACTION, KEPT_INFORMED, REPORT_AGAIN = 0, 1, 2


@pytest.mark.parametrize(
    ("question", "lang", "reply", "option"),
    [
        (SATISFACTION, "en", "fairly satisfied i guess", "fairly_satisfied"),
        (SATISFACTION, "en", "Very good, thank you", "very_satisfied"),
        (SATISFACTION, "en", "not very satisfied", "fairly_dissatisfied"),
        (SATISFACTION, "en", "terrible", "very_dissatisfied"),
        (SATISFACTION, "en", "neither", "neither"),
        (SATISFACTION, "pl", "raczej zadowolona", "fairly_satisfied"),
        (SATISFACTION, "pl", "nie jestem zadowolony", "fairly_dissatisfied"),
        (SATISFACTION, "ro", "foarte mulțumit", "very_satisfied"),
        (SATISFACTION, "pt", "muito insatisfeita", "very_dissatisfied"),
        (SATISFACTION, "es", "no estoy satisfecho", "fairly_dissatisfied"),
        (SATISFACTION, "ar", "راضي جدا", "very_satisfied"),
        (SATISFACTION, "ar", "غير راضي", "fairly_dissatisfied"),
        (SATISFACTION, "ur", "بہت مطمئن", "very_satisfied"),
        (SATISFACTION, "ur", "مطمئن نہیں", "fairly_dissatisfied"),
        (SATISFACTION, "ar", "٢", "fairly_satisfied"),  # Arabic-Indic digits are numbers too
        (KEPT_INFORMED, "ar", "نعم", "yes"),
        (KEPT_INFORMED, "en", "not always", "partly"),
        (KEPT_INFORMED, "pl", "częściowo", "partly"),
        (KEPT_INFORMED, "es", "a veces", "partly"),
        (KEPT_INFORMED, "pt", "não", "no"),
        (REPORT_AGAIN, "ar", "لا", "no"),
        (REPORT_AGAIN, "pl", "tak", "yes"),
        (REPORT_AGAIN, "ur", "جی ہاں", "yes"),
        (REPORT_AGAIN, "ro", "da", "yes"),
    ],
)
def test_a_survey_reply_in_words_in_the_residents_language_picks_its_option(question, lang, reply, option):
    assert survey_answer(shipped_policy(), question, reply, lang) == option


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        (SATISFACTION, "it has started again"),
        (SATISFACTION, "not too happy"),  # a negation: which of the unhappy ones is not said
        (SATISFACTION, "very satisfied but not happy"),
        (SATISFACTION, "the noise is bad again and they are terrible to us every night now"),  # a report, not a reply
        (SATISFACTION, "6"),
        (SATISFACTION, "1 or 2"),
        (KEPT_INFORMED, "what do you mean"),
    ],
)
def test_a_survey_reply_that_is_not_clear_picks_nothing(question, reply):
    assert survey_answer(shipped_policy(), question, reply, "en") is None


def test_an_options_label_as_the_resident_saw_it_picks_it():
    labels = {"very_satisfied": "Bardzo zadowolony", "neither": "Ani tak, ani nie"}
    assert survey_answer(shipped_policy(), SATISFACTION, "ani tak, ani nie", "pl", labels) == "neither"
