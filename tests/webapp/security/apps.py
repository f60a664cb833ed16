"""Apps built the way a test of settings needs: production ones with safe settings, and test ones with a few changed."""

from __future__ import annotations

import secrets

from flask_migrate import upgrade

from tests.webapp.conftest import FreshContextClient
from webapp import create_app
from webapp.config import ProductionConfig, TestConfig

STRONG_KEY = secrets.token_hex(32)


def production_config(database: str, **settings) -> type[ProductionConfig]:
    """ProductionConfig with everything it needs to start (no Redis unless asked), then `settings` on top."""
    values = {
        "SECRET_KEY": STRONG_KEY,
        "SQLALCHEMY_DATABASE_URI": database,
        "RATELIMIT_STORAGE_URI": "memory://",
        "OUTBOUND": "recording",
        "TWILIO_ACCOUNT_SID": None,
        "TWILIO_AUTH_TOKEN": None,
        "DEBUG": False,
        **settings,
    }
    return type("Production", (ProductionConfig,), values)


def migrated(app):
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade()
    return app


def app_with(database: str, **settings):
    """The test configuration with some settings changed before the app starts (PROXY_HOPS, say)."""
    return migrated(create_app(type("Test", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database, **settings})))
