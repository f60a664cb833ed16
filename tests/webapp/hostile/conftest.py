"""One app a module for the fuzzing tests (on SQLite, and PostgreSQL when TEST_DATABASE_URL is set).

Migrating a fresh store takes seconds; the fuzzing tests run many pages against one store, each with its own
client (its own session and draft), so they share it. Each example checks only what its own request changed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.webapp.conftest import BACKENDS, make_app
from webapp.extensions import db


@pytest.fixture(scope="module", params=BACKENDS)
def shared_app(request, tmp_path_factory):
    if request.param == "sqlite":
        app = make_app(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'test.sqlite3'}")
    else:
        app = make_app(request.getfixturevalue("postgres_url"))
    app.config["EVIDENCE_DIR"] = str(tmp_path_factory.mktemp("evidence"))
    with app.app_context():
        yield app
        db.session.remove()
        if request.param == "postgres":
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.engine.dispose()


@pytest.fixture
def fresh_client(shared_app):
    """A new browser: its own session, on the module's app."""
    return shared_app.test_client()
