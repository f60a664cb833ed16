"""The asb-report web app: web journey, staff pages, API, SMS webhook and workers."""

from __future__ import annotations

import click
from flask import Flask

from asb_domain.policy import PolicyError, default_policy_path, load_policy
from webapp.config import Config, config_from_env
from webapp.extensions import csrf, db, migrate


class InvalidPolicy(click.ClickException):
    """The app refuses to start on a policy that fails its check; click prints the message."""

    exit_code = 2


def create_app(config_class: type[Config] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_env())
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in the environment")

    policy_path = app.config.get("ASB_POLICY_FILE") or default_policy_path()
    try:
        app.extensions["asb_policy"] = load_policy(policy_path)
    except PolicyError as exc:
        raise InvalidPolicy(str(exc)) from None

    _ensure_sqlite_folder(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)

    from webapp import models  # noqa: F401 - the models must be known to Alembic
    from webapp.main import bp as main_bp

    app.register_blueprint(main_bp)
    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _ensure_sqlite_folder(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        from pathlib import Path

        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def current_policy():
    """The policy in force for the current app."""
    from flask import current_app

    return current_app.extensions["asb_policy"]
