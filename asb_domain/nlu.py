"""What the bot's NLU understood, in the policy's ids, for the one triage function.

The Rasa model classifies a message into an intent: `emergency`,
`report_<case type>`, `matter_<not-ASB matter>`, or a conversation intent
(affirm, help...). The web app (from Rasa's /model/parse) and the action
server (from the tracker's latest message) both turn that into an
`NluResult` here, so the mapping lives once.
"""

from __future__ import annotations

from collections.abc import Mapping

from asb_domain.policy import Policy
from asb_domain.triage import NluResult

# Below these confidences the NLU's guess is left out and the policy's rules decide alone.
CASE_TYPE_CONFIDENCE = 0.6
# An emergency's kind, from the model's runner-up intent.
RUNNER_UP_CONFIDENCE = 0.05
# Where the policy's rules find nothing at all, the model's best guess above this still beats no answer.
GUESS_CONFIDENCE = 0.3
# An emergency's kind, from the model's runner-up intent.
RUNNER_UP_CONFIDENCE = 0.05
# Where the policy's rules find nothing at all, the model's best guess above this still beats no answer.
GUESS_CONFIDENCE = 0.3
EMERGENCY_CONFIDENCE = 0.5
# Surer still that a matter the policy screens out is ASB after all ("a party every weekend").
ASB_AFTER_ALL_CONFIDENCE = 0.75

EMERGENCY_INTENT = "emergency"
CASE_TYPE_PREFIX = "report_"
MATTER_PREFIX = "matter_"


def triage_intents(policy: Policy) -> list[str]:
    """Every intent the NLU must know for triage, from the policy's ids."""
    return (
        [EMERGENCY_INTENT]
        + [CASE_TYPE_PREFIX + c for c in policy.case_types]
        + [MATTER_PREFIX + m for m in policy.not_asb]
    )


def from_intent(policy: Policy, intent: Mapping | None) -> NluResult | None:
    """`intent` is Rasa's {"name": ..., "confidence": ...}; None when it says nothing for triage."""
    if not intent or not intent.get("name"):
        return None
    name, confidence = intent["name"], float(intent.get("confidence") or 0.0)
    if name == EMERGENCY_INTENT:
        return NluResult(emergency=confidence >= EMERGENCY_CONFIDENCE)
    if confidence < GUESS_CONFIDENCE:
        return NluResult()
    weak = confidence < CASE_TYPE_CONFIDENCE
    if name.startswith(CASE_TYPE_PREFIX) and name[len(CASE_TYPE_PREFIX) :] in policy.case_types:
        return NluResult(
            case_type=name[len(CASE_TYPE_PREFIX) :], asb_after_all=confidence >= ASB_AFTER_ALL_CONFIDENCE, weak=weak
        )
    if name.startswith(MATTER_PREFIX) and name[len(MATTER_PREFIX) :] in policy.not_asb:
        return NluResult(matter=name[len(MATTER_PREFIX) :], weak=weak)
    return NluResult()


def from_parse(policy: Policy, parsed: Mapping | None) -> NluResult | None:
    """From Rasa's /model/parse answer (or a tracker's latest_message)."""
    if not parsed:
        return None
    result = from_intent(policy, parsed.get("intent"))
    if result is not None and result.emergency:
        # Danger first; what kind of danger is the model's next guess ("he's outside with a blade": violence).
        for runner_up in parsed.get("intent_ranking") or []:
            name = runner_up.get("name") or ""
            if name.startswith(CASE_TYPE_PREFIX) and float(runner_up.get("confidence") or 0) >= RUNNER_UP_CONFIDENCE:
                kind = name[len(CASE_TYPE_PREFIX) :]
                if kind in policy.case_types:
                    return NluResult(emergency=True, case_type=kind, weak=True)
    return result
