"""Configuration classes, read from the environment.

Secrets (SECRET_KEY, DATABASE_URL with a password, Twilio tokens) come only
from environment variables, never from files in the repo.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def database_url(url: str | None) -> str:
    """SQLAlchemy URL for DATABASE_URL, SQLite under instance/ when it is unset.

    Hosting platforms hand out postgres:// or postgresql:// URLs; SQLAlchemy
    needs the driver named, and we use psycopg 3.
    """
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'asb-report.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    ASB_ENV = "development"
    # Production refuses to start without a strong SECRET_KEY (see production_problems).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    ASB_POLICY_FILE = os.environ.get("ASB_POLICY_FILE")  # None: the policy shipped in the repo

    # Flask's defaults are unsafe for a service holding abuse reports.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    # Flask-Login's "remember me" cookie is not used; should it ever be, it gets the same protection.
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_MINUTES", "30")))
    # Staff sessions also end on the server: after this long without a request, and this long after signing in.
    STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "15"))
    STAFF_ABSOLUTE_HOURS = float(os.environ.get("STAFF_ABSOLUTE_HOURS", "8"))
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token instead

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    STAFF_LOGIN_LIMIT = os.environ.get("STAFF_LOGIN_LIMIT", "10 per minute")
    STAFF_LOCKOUT_AFTER = 5  # failed logins in a row lock the account ...
    STAFF_LOCKOUT_MINUTES = 15  # ... for this long
    # Per address, over every POST of the residents' pages (report, chat, diary, case, survey) together.
    PUBLIC_FORM_LIMIT = os.environ.get("PUBLIC_FORM_LIMIT", "120 per hour")
    RESUME_CODE_LIMIT = os.environ.get("RESUME_CODE_LIMIT", "10 per hour")
    # Reverse proxies in front of the app: without this, every resident has the proxy's address and the
    # per-address limits above count them all together.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

    # Shared with the action server: lets the bot submit reports (POST /api/v1/reports), nothing else.
    ASB_SERVICE_TOKEN = os.environ.get("ASB_SERVICE_TOKEN")
    # The Rasa server, on loopback: web chat goes through the web app, and triage asks its NLU.
    RASA_URL = os.environ.get("RASA_URL")
    RASA_TOKEN = os.environ.get("RASA_TOKEN")

    # Twilio: the auth token checks every webhook's signature; the public base URL is what Twilio signed
    # (behind a proxy, request.url is not it). OUTBOUND=twilio also needs TWILIO_ACCOUNT_SID and a sender.
    OUTBOUND = os.environ.get("OUTBOUND", "recording")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # Where texts wait while the store is down (webapp/sms/spool.py): a local disk; instance/sms-spool if unset.
    SMS_SPOOL_DIR = os.environ.get("SMS_SPOOL_DIR")

    LANGUAGES = ["en"]
    BABEL_DEFAULT_LOCALE = "en"


class DevelopmentConfig(Config):
    """`make run` on a laptop: plain http on 127.0.0.1, so cookies cannot be Secure-only."""

    # A random key per process when none is set: sessions end with the process.
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(Config):
    ASB_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # The browser and bot tests send many whole reports from 127.0.0.1 through one app; the limit itself is
    # tested with the production value in tests/webapp/security.
    PUBLIC_FORM_LIMIT = "10000 per hour"
    WTF_CSRF_ENABLED = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(Config):
    ASB_ENV = "production"
    # Several workers: rate limits must be counted in one place, not per process.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("ASB_ENV", "development")]


# Secret keys seen in examples, tests and tutorials: anyone could sign a session with them.
KNOWN_SECRET_KEYS = frozenset(
    {"test-secret-key", "test", "dev", "development", "secret", "secret-key", "changeme", "change-me", "password"}
)
MIN_SECRET_KEY_LENGTH = 32
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_hex(32))'"


def production_problems(config, debug: bool) -> list[str]:
    """What makes this configuration unsafe to serve residents with, in words that never hold a secret."""
    problems = []
    key = config.get("SECRET_KEY")
    key = key.decode("utf-8", "replace") if isinstance(key, bytes) else str(key or "")
    if not key:
        problems.append(f"SECRET_KEY is not set: set it to a long random value ({MAKE_A_KEY})")
    elif key.strip().lower() in KNOWN_SECRET_KEYS:
        problems.append(f"SECRET_KEY is a well-known default: set a long random value ({MAKE_A_KEY})")
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 10:
        problems.append(
            f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters ({MAKE_A_KEY})"
        )
    if debug:
        problems.append("debug mode is on (DEBUG or FLASK_DEBUG): it shows code and data when a page fails")
    sms_on = config.get("OUTBOUND") == "twilio" or bool(config.get("TWILIO_ACCOUNT_SID"))
    if sms_on and not config.get("TWILIO_AUTH_TOKEN"):
        problems.append(
            "TWILIO_AUTH_TOKEN is not set but SMS is on (OUTBOUND=twilio or TWILIO_ACCOUNT_SID): "
            "without it no text message webhook can be checked"
        )
    return problems
