"""Production refuses to start on settings that would put residents' reports at risk, and says which, never a secret."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.webapp.security.apps import production_config
from webapp import UnsafeConfiguration, create_app

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def no_debug_from_the_environment(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def refusal(tmp_path, **settings) -> str:
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app(production_config(f"sqlite:///{tmp_path / 'p.sqlite3'}", **settings))
    assert refused.value.exit_code == 2
    return refused.value.message


def test_production_starts_with_a_strong_key_no_debug_and_sms_off(tmp_path):
    app = create_app(production_config(f"sqlite:///{tmp_path / 'p.sqlite3'}"))
    assert app.config["ASB_ENV"] == "production"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    assert "SECRET_KEY is not set" in refusal(tmp_path, SECRET_KEY=None)
    assert "SECRET_KEY is not set" in refusal(tmp_path, SECRET_KEY="")


@pytest.mark.parametrize("key", ["test-secret-key", "dev", "CHANGEME", "password"])
def test_production_refuses_a_well_known_secret_key_without_repeating_it(tmp_path, key):
    message = refusal(tmp_path, SECRET_KEY=key)
    assert "SECRET_KEY is a well-known default" in message
    assert key.lower() not in message.lower()


@pytest.mark.parametrize("key", ["k3y-0f-31-chars-Xq9Zr7Lm2Wv8Tn4", "a" * 64])
def test_production_refuses_a_short_or_repetitive_secret_key_without_repeating_it(tmp_path, key):
    message = refusal(tmp_path, SECRET_KEY=key)
    assert "SECRET_KEY is too weak: use at least 32 random characters" in message
    assert key not in message


def test_production_refuses_to_start_in_debug_mode(tmp_path, monkeypatch):
    assert "debug mode is on" in refusal(tmp_path, DEBUG=True)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert "debug mode is on" in refusal(tmp_path)


@pytest.mark.parametrize("sms", [{"OUTBOUND": "twilio"}, {"TWILIO_ACCOUNT_SID": "AC0123456789abcdef"}])
def test_production_refuses_sms_without_the_twilio_auth_token(tmp_path, sms):
    message = refusal(tmp_path, **sms)
    assert "TWILIO_AUTH_TOKEN is not set but SMS is on" in message
    app = create_app(production_config(f"sqlite:///{tmp_path / 'p.sqlite3'}", TWILIO_AUTH_TOKEN="a" * 32, **sms))
    assert app.config["TWILIO_AUTH_TOKEN"]


def test_every_problem_is_named_at_once(tmp_path):
    message = refusal(tmp_path, SECRET_KEY="dev", DEBUG=True, OUTBOUND="twilio")
    assert message.startswith("refusing to start in production: ")
    assert all(name in message for name in ("SECRET_KEY", "debug mode", "TWILIO_AUTH_TOKEN"))


def test_development_and_tests_are_not_held_to_production_rules(tmp_path):
    from webapp.config import TestConfig

    app = create_app(type("Test", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.sqlite3'}"}))
    assert app.config["SECRET_KEY"] == "test-secret-key"


def test_the_flask_command_refuses_with_the_message_and_never_the_secret(tmp_path):
    weak = "my-own-password-123"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "FLASK_", "OUTBOUND", "SECRET_KEY"))}
    env |= {"ASB_ENV": "production", "SECRET_KEY": weak, "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "flask"), "--app", "webapp", "routes"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "SECRET_KEY is too weak" in done.stderr
    assert weak not in done.stderr + done.stdout
