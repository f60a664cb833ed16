"""CRM bearer tokens: shown once when created, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ApiToken, utcnow

PREFIX = "asb_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(name: str) -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(name=name, token_hash=_hash(token)))
    db.session.commit()
    return token


def revoke_token(name: str) -> bool:
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None)))
    if row is None:
        return False
    row.revoked_at = utcnow()
    db.session.commit()
    return True


def token_for(header: str | None) -> ApiToken | None:
    if not header or not header.startswith("Bearer "):
        return None
    token = header.removeprefix("Bearer ").strip()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row
