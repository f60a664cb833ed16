"""`flask policy check|show` as a landlord runs them, and the app refusing a broken policy."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.domain.factories import policy_text, write_policy

REPO = Path(__file__).resolve().parents[2]
FLASK = [str(Path(sys.executable).parent / "flask"), "--app", "webapp"]


def flask(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if k != "ASB_POLICY_FILE"} | (env or {})
    return subprocess.run(
        [*FLASK, *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def broken_policy(tmp_path):
    text = policy_text().replace("urgent_working_days: 1", "urgent_working_days: one")
    return write_policy(tmp_path, text)


def test_policy_check_passes_the_shipped_policy():
    result = flask("policy", "check")
    assert result.returncode == 0, result.stderr
    assert "OK (14 RAM questions, 16 case types, 12 matters not treated as ASB)" in result.stdout


def test_policy_check_names_the_broken_field_and_fails(tmp_path):
    result = flask("policy", "check", str(broken_policy(tmp_path)))
    assert result.returncode == 1
    assert "response_times.urgent_working_days: 'one' is not of type 'integer'" in result.stderr
    assert "line " in result.stderr


def test_policy_show_prints_the_policy_in_force_as_json(tmp_path):
    text = policy_text().replace("name: Riverside Homes", "name: Hillside Housing")
    path = write_policy(tmp_path, text)
    result = flask("policy", "show", env={"ASB_POLICY_FILE": str(path)})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["source"] == str(path)
    assert shown["policy"]["landlord"]["name"] == "Hillside Housing"
    assert len(shown["policy"]["ram"]["questions"]) == 14


def test_the_app_refuses_to_start_on_a_broken_policy_with_the_same_message(tmp_path):
    path = broken_policy(tmp_path)
    check = flask("policy", "check", str(path))
    start = flask("routes", env={"ASB_POLICY_FILE": str(path)})
    assert start.returncode != 0
    assert "response_times.urgent_working_days: 'one' is not of type 'integer'" in start.stderr
    assert check.stderr.strip().splitlines()[-1] in start.stderr
