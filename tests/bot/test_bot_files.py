"""The Rasa domain and data agree with the policy, and say nothing to residents themselves."""

from pathlib import Path

import yaml

from asb_domain.nlu import triage_intents
from bot.actions.conversation import report_slots
from tests.domain.factories import shipped_policy

BOT = Path(__file__).resolve().parents[2] / "bot"
INTENTS = Path(__file__).resolve().parents[2] / "intents"


def domain() -> dict:
    merged: dict = {}
    for path in sorted((BOT / "domain").glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
    return merged


def test_the_nlu_knows_an_intent_for_every_case_type_and_matter_in_the_policy():
    assert set(triage_intents(shipped_policy())) <= set(domain()["intents"])


def test_every_language_has_training_data_for_every_intent():
    for lang_dir in sorted(INTENTS.iterdir()):
        found = set()
        for path in lang_dir.glob("*.yml"):
            found |= {item["intent"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]}
        assert set(domain()["intents"]) <= found, f"{lang_dir.name} lacks {set(domain()['intents']) - found}"


def test_the_report_form_asks_every_slot_the_conversation_needs_in_order():
    assert domain()["forms"]["report_form"]["required_slots"] == report_slots(shipped_policy())


def test_the_domain_holds_no_resident_facing_text():
    # Every word comes from the Babel catalogs, rendered by the actions.
    assert not domain().get("responses")
