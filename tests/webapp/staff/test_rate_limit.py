"""Sign-in attempts are rate limited, in memory for one process and in Redis as production runs it."""

import secrets
import socket
import uuid

import pytest

from tests.webapp.conftest import make_app
from tests.webapp.journey import CSRF


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def attempts_until_refused(app, tries=12) -> list[int]:
    client = app.test_client()
    token = CSRF.search(client.get("/staff/login").get_data(as_text=True)).group(1)
    return [
        client.post("/staff/login", data={"csrf_token": token, "username": "x", "password": "y"}).status_code
        for _ in range(tries)
    ]


def test_the_eleventh_sign_in_in_a_minute_is_refused(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    codes = attempts_until_refused(app)
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_limit_is_shared_by_every_worker(tmp_path, monkeypatch):
    from webapp.config import ProductionConfig

    storage = "redis://127.0.0.1:6379/15"
    prefix = uuid.uuid4().hex  # a fresh count for this run

    class Worker(ProductionConfig):
        SECRET_KEY = secrets.token_hex(32)  # production refuses a weak key
        SESSION_COOKIE_SECURE = False
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.sqlite3'}"
        RATELIMIT_STORAGE_URI = storage
        RATELIMIT_KEY_PREFIX = prefix

    from flask_migrate import upgrade

    from webapp import create_app

    first, second = create_app(Worker), create_app(Worker)
    with first.app_context():
        upgrade()
    codes = attempts_until_refused(first, 6) + attempts_until_refused(second, 6)
    assert codes.count(429) == 2  # two "workers", one count
