"""Each gunicorn worker warms up before its first resident (webapp.warm), without touching the store."""

from __future__ import annotations

from webapp import create_app
from webapp.config import TestConfig
from webapp.warm import warm_up


def test_a_worker_warms_up_before_its_first_resident_even_with_the_store_unreachable():
    class Config(TestConfig):
        # Nothing listens here: a warm-up that opened a connection (unsafe before a fork) would fail.
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody@127.0.0.1:9/none"

    app = create_app(Config)
    warm_up(app)
    cached = {name for (_loader, name) in app.jinja_env.cache}
    assert {"base.html", "report/what.html", "report/check.html"} <= cached


def test_gunicorn_serves_the_warmed_app():
    import webapp.wsgi

    assert webapp.wsgi.app.name == "webapp"
    assert any(name == "report/danger.html" for (_loader, name) in webapp.wsgi.app.jinja_env.cache)


def test_a_worker_loads_the_second_danger_signal_before_its_first_resident():
    from asb_domain import danger_signal

    warm_up(create_app(TestConfig))
    assert danger_signal.default() is not None, "make builds models/danger-signal.json"
    assert danger_signal._embedder is not None  # the embedder is loaded: no resident waits for it
