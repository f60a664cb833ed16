"""Which SMS worker handles a number's texts: one at a time, in order, across every worker process and thread.

A claim is a lease on the conversation's row, taken by one conditional UPDATE
(so it works the same on SQLite and PostgreSQL, and across machines). It is
renewed with every message and released when the number has nothing waiting.
A worker killed mid-turn leaves a claim that lapses after LEASE_SECONDS, and
the next worker finds the turn in Rasa's tracker (bot_client.replies_to).
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from sqlalchemy import or_, update

from webapp.extensions import db
from webapp.models import SmsConversation, utcnow

# Longer than the bot's time-out for one turn (conversations.BOT_TIMEOUT_SECONDS) and the sends after it.
LEASE_SECONDS = 90


def worker_id() -> str:
    """This worker process, as a claim names it. Its threads never share a number (the worker keeps a set of
    the numbers in hand), so a claim a thread could not release (the store went away) is retaken at once by
    the same process when the store is back, rather than lapsing."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def claim(phone: str, me: str) -> bool:
    """Take (or renew) the number's claim; False when another worker holds it."""
    now = utcnow()
    result = db.session.execute(
        update(SmsConversation)
        .where(SmsConversation.phone == phone)
        .where(
            or_(
                SmsConversation.claimed_until.is_(None),
                SmsConversation.claimed_until < now,
                SmsConversation.claimed_by == me,
            )
        )
        .values(claimed_by=me, claimed_until=now + timedelta(seconds=LEASE_SECONDS))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def release(phone: str, me: str) -> None:
    db.session.execute(
        update(SmsConversation)
        .where(SmsConversation.phone == phone, SmsConversation.claimed_by == me)
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
