"""Plain factory functions for domain tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from asb_domain.policy import REPO_ROOT, load_policy

SHIPPED_POLICY = REPO_ROOT / "policy" / "asb-policy.yaml"


@lru_cache(maxsize=1)
def shipped_policy():
    # Loaded once: the policy holds thousands of phrases, and no test changes the one it is given.
    return load_policy(SHIPPED_POLICY)


def policy_text() -> str:
    return SHIPPED_POLICY.read_text(encoding="utf-8")


def write_policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def policy_with(tmp_path: Path, change) -> Path:
    """The shipped policy with `change(data)` applied, written to a file."""
    data = yaml.safe_load(policy_text())
    change(data)
    return write_policy(tmp_path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def quiet_answers() -> dict:
    """A RAM with mild answers: total 2 (Q6 'told no one else' 1, Q10 'a little' 1)."""
    return {
        "q1_frequency": "occasionally",
        "q2_linked": "no",
        "q3_worsening": "no",
        "q4_know_them": "not_known",
        "q5_history": "none",
        "q6_other_agencies": "no",
        "q7_targeted": "none",
        "q8_identity": "no",
        "q9_circumstances": "no",
        "q10_affected": "a_little",
        "q11_health": [],
        "q12_professional_support": "no",
        "q13_support_network": "close_network",
        "q14_others_affected": [],
    }
