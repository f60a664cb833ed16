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
    # Production refuses to start without SECRET_KEY (see create_app).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    ASB_POLICY_FILE = os.environ.get("ASB_POLICY_FILE")  # None: the policy shipped in the repo

    # Flask's defaults are unsafe for a service holding abuse reports.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_MINUTES", "30")))
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token instead

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    STAFF_LOGIN_LIMIT = os.environ.get("STAFF_LOGIN_LIMIT", "10 per minute")
    STAFF_LOCKOUT_AFTER = 5  # failed logins in a row lock the account ...
    STAFF_LOCKOUT_MINUTES = 15  # ... for this long

    # Shared with the action server: lets the bot submit reports (POST /api/v1/reports), nothing else.
    ASB_SERVICE_TOKEN = os.environ.get("ASB_SERVICE_TOKEN")
    # The Rasa server, on loopback: web chat goes through the web app, and triage asks its NLU.
    RASA_URL = os.environ.get("RASA_URL")
    RASA_TOKEN = os.environ.get("RASA_TOKEN")

    # Twilio: the auth token checks every webhook's signature; the public base URL is what Twilio signed
    # (behind a proxy, request.url is not it). OUTBOUND=twilio also needs TWILIO_ACCOUNT_SID and a sender.
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")

    LANGUAGES = ["en"]
    BABEL_DEFAULT_LOCALE = "en"


class DevelopmentConfig(Config):
    """`make run` on a laptop: plain http on 127.0.0.1, so cookies cannot be Secure-only."""

    # A random key per process when none is set: sessions end with the process.
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SESSION_COOKIE_SECURE = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(Config):
    # Several workers: rate limits must be counted in one place, not per process.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("ASB_ENV", "development")]
