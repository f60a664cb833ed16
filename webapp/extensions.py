"""Flask extensions, created once here and bound to the app in create_app."""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints, so Alembic migrations work the same on SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
# The residents' pages whose every POST counts towards PUBLIC_FORM_LIMIT, one count per address for them all.
PUBLIC_FORMS = frozenset({"report", "chat", "diary", "case", "survey"})


def _not_a_public_form() -> bool:
    from flask_login import current_user

    # Signed-in staff are exempt: the contact centre takes many phone reports through these pages from one office.
    return request.method != "POST" or request.blueprint not in PUBLIC_FORMS or current_user.is_authenticated


# Storage from RATELIMIT_STORAGE_URI: memory:// for one process, redis:// when there are several workers.
# Routes add their own, tighter limits (staff sign-in, resume codes, one-time codes) on top of the public one.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[],
    application_limits=[lambda: current_app.config["PUBLIC_FORM_LIMIT"]],
    application_limits_exempt_when=_not_a_public_form,
)
