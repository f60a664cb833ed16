"""The asb-report web app: web journey, staff pages, API, SMS webhook and workers."""

from __future__ import annotations

import click
from flask import Flask
from flask.helpers import get_debug_flag
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from asb_domain.policy import PolicyError, default_policy_path, load_policy
from webapp import errors, security
from webapp.config import Config, config_from_env, production_problems
from webapp.extensions import csrf, db, limiter, login_manager, migrate
from webapp.i18n import LANGUAGES, TRANSLATIONS_DIR, babel, policy_text, select_locale, text_direction
from webapp.outbound import email_sender_from_env, sender_from_env


class InvalidPolicy(click.ClickException):
    """The app refuses to start on a policy that fails its check; click prints the message."""

    exit_code = 2


class UnsafeConfiguration(click.ClickException):
    """Production refuses to start on settings that would put residents' reports at risk; names what, never a secret."""

    exit_code = 2


def create_app(config_class: type[Config] | None = None) -> Flask:
    from webapp import log_privacy

    log_privacy.install()  # before anything logs: no phone number reaches a log whole
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_env())
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    if app.config.get("ASB_ENV") == "production":
        problems = production_problems(app.config, debug=bool(app.config.get("DEBUG") or get_debug_flag()))
        if problems:
            raise UnsafeConfiguration("refusing to start in production: " + "; ".join(problems))
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in the environment")
    if app.config.get("PROXY_HOPS"):
        # The resident's own address (for per-address rate limits) and scheme, from the proxies we trust.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    policy_path = app.config.get("ASB_POLICY_FILE") or default_policy_path()
    try:
        app.extensions["asb_policy"] = load_policy(policy_path)
    except PolicyError as exc:
        raise InvalidPolicy(str(exc)) from None

    _ensure_sqlite_folder(app)
    db.init_app(app)
    _tune_sqlite(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    from webapp.staff import sessions as staff_sessions

    staff_sessions.register(app)  # before CSRF: a timed-out form goes to sign-in, not "session ended"
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    babel.init_app(app, locale_selector=select_locale)
    app.extensions["outbound_sender"] = app.config.get("OUTBOUND_SENDER") or sender_from_env()
    app.extensions["outbound_email"] = app.config.get("OUTBOUND_EMAIL_SENDER") or email_sender_from_env()
    if app.config.get("RASA_URL"):
        from webapp.bot_client import bot_from_config, nlu_for

        bot = bot_from_config(app.config["RASA_URL"], app.config.get("RASA_TOKEN"))
        app.extensions["asb_bot"] = bot
        app.extensions["asb_nlu"] = nlu_for(app.extensions["asb_policy"], bot)

    # GOV.UK Frontend's macros are imported as "govuk_frontend_jinja/components/...".
    app.jinja_loader = ChoiceLoader(
        [app.jinja_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    app.context_processor(_template_context)

    from webapp import models  # noqa: F401 - the models must be known to Alembic
    from webapp.api import bp as api_bp
    from webapp.case import bp as case_bp
    from webapp.chat import bp as chat_bp
    from webapp.diary import bp as diary_bp
    from webapp.diary.cli import diary_cli
    from webapp.main import bp as main_bp
    from webapp.privacy.retention import retention_cli
    from webapp.privacy.subject import subject_cli
    from webapp.report import bp as report_bp
    from webapp.report.cli import report_cli
    from webapp.sms import bp as sms_bp
    from webapp.sms.cli import messages_cli, sms_cli
    from webapp.staff import bp as staff_bp
    from webapp.staff.cli import staff_cli, token_cli
    from webapp.survey import bp as survey_bp
    from webapp.triage_cli import triage_cli, triage_eval_cli

    app.register_blueprint(main_bp)
    app.register_blueprint(report_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(diary_bp)
    app.register_blueprint(case_bp)
    app.register_blueprint(survey_bp)
    csrf.exempt(sms_bp)  # Twilio signs its requests instead (X-Twilio-Signature, checked on every one)
    app.register_blueprint(sms_bp)
    csrf.exempt(api_bp)  # bearer tokens, not cookies: nothing for a cross-site form to ride on
    app.register_blueprint(api_bp)
    app.cli.add_command(report_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(token_cli)
    app.cli.add_command(triage_cli)
    app.cli.add_command(triage_eval_cli)
    app.cli.add_command(sms_cli)
    app.cli.add_command(diary_cli)
    app.cli.add_command(messages_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(subject_cli)
    errors.register(app)
    security.register(app)
    return app


def _template_context() -> dict:
    from flask import current_app
    from flask_babel import get_locale

    from webapp.main.routes import brand_colour
    from webapp.report.routes import step_url

    lang = str(get_locale())
    policy = current_app.extensions["asb_policy"]
    return {
        "lang": lang,
        "text_dir": text_direction(lang),
        "languages": LANGUAGES,
        "policy": policy,
        "brand_colour": brand_colour(policy),
        "session_seconds": int(current_app.permanent_session_lifetime.total_seconds()),
        "pt": policy_text,
        "step_url": step_url,
    }


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _ensure_sqlite_folder(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        from pathlib import Path

        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def _tune_sqlite(app: Flask) -> None:
    """SQLite, the default store, shared by the web app's workers and the SMS worker on one machine.

    Write-ahead logging lets readers go on while one writes, and a commit costs one fsync of the log rather
    than several of the file and its journal. Synchronous stays FULL: a text Twilio was told had arrived must
    survive a power cut. Writers wait for each other up to 10 s rather than failing with "database is locked".
    """
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        return
    from sqlalchemy import event

    def on_connect(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    with app.app_context():
        event.listen(db.engine, "connect", on_connect)


def current_policy():
    """The policy in force for the current app."""
    from flask import current_app

    return current_app.extensions["asb_policy"]
