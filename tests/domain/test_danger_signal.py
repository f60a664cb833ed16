"""The second danger signal: the classifier make builds from the bot's NLU examples, and how triage uses it."""

from __future__ import annotations

import json
import logging

import pytest

from asb_domain import danger_signal
from asb_domain.danger_signal import DEFAULT_PATH, DangerSignal
from asb_domain.triage import EMERGENCY, triage
from tests.domain.factories import shipped_policy


class Always:
    """A signal that calls everything danger: what triage does with it is the triage's own doing."""

    threshold = 0.5

    def probability(self, text: str) -> float:
        return 1.0

    def says_danger(self, text: str) -> bool:
        return True


@pytest.fixture(scope="module")
def policy():
    return shipped_policy()


@pytest.fixture(scope="module")
def built() -> DangerSignal:
    assert DEFAULT_PATH.exists(), f"no {DEFAULT_PATH}: make builds it (make models/danger-signal.json)"
    return DangerSignal.load(DEFAULT_PATH)


# (language, danger told in words of one's own, an everyday nuisance in the same language)
PAIRS = [
    (
        "en",
        "he has smashed the glass in my front door and is coming up the stairs with a hammer, hurry",
        "the bins on our landing have not been collected for two weeks",
    ),
    (
        "pl",
        "mój sąsiad leży na klatce i krwawi z głowy, ktoś go pobił przed chwilą",
        "sąsiad parkuje samochód na moim miejscu od miesiąca",
    ),
    ("es", "un hombre está apuñalando a otro en el portal ahora mismo", "mi vecina tiende la ropa en el pasillo común"),
    (
        "pt",
        "alguém está a tentar arrombar a minha porta agora, estou escondida no quarto",
        "os vizinhos de cima fazem barulho a arrastar cadeiras ao jantar",
    ),
    (
        "ro",
        "vecinul a luat foc la ușă și fumul intră în apartament, nu pot ieși",
        "vecinii lasă bicicletele pe hol lângă lift",
    ),
    ("ar", "رجل يلوح بسكين في وجه الجيران امام العمارة الان", "الجيران يتركون اكياس القمامة امام الباب"),
    ("ur", "ایک آدمی ابھی سیڑھیوں پر چاقو لہرا رہا ہے", "پڑوسی کی گاڑی میری جگہ پر کھڑی ہوتی ہے"),
]


@pytest.mark.parametrize(("lang", "danger", "everyday"), PAIRS, ids=[p[0] for p in PAIRS])
def test_the_built_signal_scores_danger_above_an_everyday_nuisance_in_each_language(built, lang, danger, everyday):
    assert 0.0 <= built.probability(everyday) < built.probability(danger) <= 1.0


@pytest.mark.parametrize(("lang", "danger", "everyday"), PAIRS[:4], ids=[p[0] for p in PAIRS[:4]])
def test_the_built_signal_stays_quiet_about_everyday_nuisance(built, lang, danger, everyday):
    assert not built.says_danger(everyday)


def test_the_built_signal_scores_the_same_message_the_same_every_time(built):
    text = "someone is screaming for help in the flat next door and it has gone quiet"
    assert built.probability(text) == built.probability(text) == built.probability(text + "")


def test_triage_calls_an_emergency_on_the_signal_alone_where_the_words_find_none(policy):
    text = "a man is swinging a baseball bat at people by the shop"  # no danger phrase of the policy's
    assert triage(policy, text, "en", signal=False).outcome != EMERGENCY
    result = triage(policy, text, "en", signal=Always())
    assert result.outcome == EMERGENCY
    assert result.source.endswith("+signal")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("last week a man was swinging a baseball bat at people by the shop", "en"),
        ("w zeszłym tygodniu jakiś facet wymachiwał kijem bejsbolowym przed sklepem", "pl"),
    ],
)
def test_danger_told_as_the_past_stays_not_an_emergency_whatever_the_signal_says(policy, text, lang):
    assert triage(policy, text, lang, signal=Always()).outcome != EMERGENCY


def test_something_that_keeps_happening_is_not_made_an_emergency_by_the_signal(policy):
    assert triage(policy, "they shout at my kids every day", "en", signal=Always()).outcome != EMERGENCY


def test_the_signal_does_not_overrule_a_matter_the_policy_screens_out(policy):
    result = triage(policy, "the neighbours washing machine spins late in the evening", "en", signal=Always())
    assert result.outcome == "not_asb" and result.matter == "domestic_appliances"


def test_danger_words_still_call_the_emergency_with_no_signal_at_all(policy):
    assert triage(policy, "he is outside my door with a knife", "en", signal=False).outcome == EMERGENCY


def test_without_a_built_classifier_there_is_no_signal_and_one_warning_without_content(
    policy, monkeypatch, tmp_path, caplog
):
    monkeypatch.setenv("ASB_DANGER_SIGNAL", str(tmp_path / "missing.json"))
    monkeypatch.setattr(danger_signal, "_default", None)
    monkeypatch.setattr(danger_signal, "_default_loaded", False)
    text = "a man is swinging a baseball bat at people by the shop"
    with caplog.at_level(logging.WARNING, logger="asb_domain.danger_signal"):
        first = triage(policy, text, "en")
        second = triage(policy, text, "en")
    assert first.outcome != EMERGENCY and second.outcome != EMERGENCY
    warnings = [r for r in caplog.records if r.name == "asb_domain.danger_signal"]
    assert len(warnings) == 1
    assert "baseball" not in warnings[0].getMessage()


def test_the_signal_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("ASB_DANGER_SIGNAL", "off")
    monkeypatch.setattr(danger_signal, "_default", None)
    monkeypatch.setattr(danger_signal, "_default_loaded", False)
    assert danger_signal.default() is None


def test_a_build_from_a_few_examples_learns_them_and_records_what_it_was_built_with(tmp_path):
    intents = tmp_path / "intents"
    danger = [
        "he is stabbing someone outside right now",
        "fire in the flat next door, smoke everywhere",
        "a man is kicking my door in and I am hiding",
        "my partner is strangling me help",
        "someone is breaking in through the window now",
        "a gang with machetes is chasing a boy on the estate",
    ]
    others = [
        "the neighbours' dog barks in the afternoon",
        "rubbish left by the bins again",
        "they park across my drive",
        "hello",
        "thank you",
        "graffiti on the garages",
    ]
    for lang in ("en",):
        (intents / lang).mkdir(parents=True)
        (intents / lang / "nlu.yml").write_text(
            'version: "3.1"\nnlu:\n- intent: emergency\n  examples: |\n'
            + "".join(f"    - {t}\n" for t in danger)
            + "- intent: report_noise\n  examples: |\n"
            + "".join(f"    - {t}\n" for t in others),
            encoding="utf-8",
        )
    out = tmp_path / "models" / "danger-signal.json"
    summary = danger_signal.build(intents, out, threads=1)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["embedder_version"] == danger_signal._embedder_version()
    assert data["examples"] == 12 and data["emergency_examples"] == 6
    assert summary["build_s"] >= 0
    signal = DangerSignal.load(out)
    assert 0 < signal.threshold < 1
    assert min(signal.probability(t) for t in danger) > max(signal.probability(t) for t in others)
    # Built again from the same examples (embeddings from the cache this time): the same file, byte for byte.
    before = out.read_bytes()
    danger_signal.build(intents, out, threads=1)
    assert out.read_bytes() == before
