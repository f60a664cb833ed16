"""Shared fixtures: an app on a migrated database, SQLite always and PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.config import TestConfig, database_url
from webapp.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

BACKENDS = ["sqlite"] + (["postgres"] if TEST_DATABASE_URL else [])


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    server = make_url(database_url(TEST_DATABASE_URL))
    name = f"asb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production.

    The tests hold an app context open to query the store; without this, every
    request would share it, and its `g` (CSRF token, locale) would leak from one
    request, or one browser, to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test's own view of the store sees what the request did
        return response


def make_app(uri: str):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = uri

    app = create_app(Config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # the real migrations, not create_all: they are what production runs
    return app


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    if request.param == "sqlite":
        app = make_app(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    else:
        app = make_app(request.getfixturevalue("postgres_url"))
    with app.app_context():
        yield app
        db.session.remove()
        if request.param == "postgres":
            # Empty every table for the next test; the schema stays.
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def policy(app):
    return app.extensions["asb_policy"]
