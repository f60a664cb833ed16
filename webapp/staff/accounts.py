"""Staff accounts: argon2 password hashes, lock-out after repeated failures, roles from the policy."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from asb_domain.policy import Policy
from webapp.extensions import db, login_manager
from webapp.models import StaffUser, utcnow

hasher = PasswordHasher()
ADMIN, CONTACT_CENTRE = "admin", "contact_centre"
# Who may hold a report for legal proceedings, and release it: nothing held is deleted or anonymised.
LEGAL_HOLD_ROLES = (ADMIN, "tenancy_enforcement_manager")
# Checked against a made-up hash when the username is unknown, so timing does not reveal who has an account.
_DUMMY_HASH = hasher.hash("not a real password")


def roles(policy: Policy) -> list[str]:
    return [ADMIN, CONTACT_CENTRE, *policy.ids("roles")]


def create_staff(policy: Policy, username: str, full_name: str, role: str, password: str) -> StaffUser:
    if role not in roles(policy):
        raise ValueError(f"role must be one of: {', '.join(roles(policy))}")
    if len(password) < 12:
        raise ValueError("the password must be at least 12 characters")
    user = StaffUser(username=username, full_name=full_name, role=role, password_hash=hasher.hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> tuple[StaffUser | None, str | None]:
    """The user, or None with why not: 'invalid' or 'locked'."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            hasher.verify(_DUMMY_HASH, password)
        return None, "invalid"
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        return None, "locked"
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["STAFF_LOCKOUT_AFTER"]:
            user.locked_until = now + timedelta(minutes=current_app.config["STAFF_LOCKOUT_MINUTES"])
            user.failed_logins = 0
        db.session.commit()
        return None, "locked" if user.locked_until and user.locked_until > now else "invalid"
    user.failed_logins = 0
    user.locked_until = None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    db.session.commit()
    return user, None


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """The account a session names, while that session's version is the account's own (see sign_out_everywhere)."""
    number, _, version = user_id.partition(".")
    if not number.isdecimal() or not version.isdecimal():
        return None  # a session from before versions, or a forged id
    user = db.session.get(StaffUser, int(number))
    if user is None or not user.active or int(version) != (user.session_version or 0):
        return None
    return user


def sign_out_everywhere(user: StaffUser) -> None:
    """End every session of this account, wherever its cookie is: the next request of each is signed out."""
    user.session_version = (user.session_version or 0) + 1
    db.session.commit()


def can_see(policy: Policy, user: StaffUser, handling_role: str | None) -> bool:
    """Admins see every report; a handling role sees the reports routed to it."""
    if user.role == ADMIN:
        return True
    return handling_role is not None and handling_role == user.role


def can_hold(user: StaffUser) -> bool:
    """Only admins and the tenancy enforcement manager set or release a legal hold."""
    return user.role in LEGAL_HOLD_ROLES
