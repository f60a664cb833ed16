"""The Rasa bot's conversation store, as the web app cleans it up: read and delete whole conversations.

Rasa 3.6's SQLTrackerStore keeps every conversation in one table, `events`
(id, sender_id, type_name, timestamp, intent_name, action_name, data), one row
an event, `timestamp` in seconds since the epoch, `data` the event as JSON
(a user or bot event carries the message `text`). The web app never writes to
it; it only deletes the conversations retention or an erasure says must go.

Rasa knows a text conversation as "sms-<SmsConversation.id>" and a web chat as
"web-<random>", never a number or a name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import click
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url

ENV_VAR = "RASA_TRACKER_DB"
WEB_PREFIX = "web-"
SMS_PREFIX = "sms-"
_CHUNK = 500  # sender ids per IN (...), well inside every backend's limit

events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _chunks(items: list[str]):
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def database_url(value: str) -> str:
    """A SQLAlchemy URL as given, or a file path as a SQLite URL. The database must exist already."""
    if "://" in value:
        url = make_url(value)
        in_a_file = url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:"
        if in_a_file and not Path(url.database).is_file():
            raise click.ClickException(f"no Rasa tracker database at {url.database}")
        return value
    path = Path(value).expanduser().resolve()
    if not path.is_file():
        raise click.ClickException(f"no Rasa tracker database at {path}")
    return f"sqlite:///{path}"


class TrackerStore:
    """Rasa's SQL tracker store, opened by URL or file path."""

    def __init__(self, url_or_path: str):
        self.url = database_url(url_or_path)
        self.engine = create_engine(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def has_events(self) -> bool:
        return inspect(self.engine).has_table("events")

    def last_seen(self, prefix: str) -> dict[str, float]:
        """Each conversation whose sender id starts with `prefix`, and the time of its latest event."""
        if not self.has_events():
            return {}
        query = (
            select(events.c.sender_id, func.max(events.c.timestamp))
            .where(events.c.sender_id.startswith(prefix, autoescape=True))
            .group_by(events.c.sender_id)
        )
        with self.engine.connect() as conn:
            return {sender: (last or 0.0) for sender, last in conn.execute(query)}

    def count(self, sender_ids: Iterable[str]) -> tuple[int, int]:
        """(conversations present, their events) for these sender ids."""
        senders = sorted(set(sender_ids))
        if not senders or not self.has_events():
            return 0, 0
        found, total = 0, 0
        with self.engine.connect() as conn:
            for chunk in _chunks(senders):
                query = select(events.c.sender_id, func.count()).where(events.c.sender_id.in_(chunk))
                rows = conn.execute(query.group_by(events.c.sender_id)).all()
                found += len(rows)
                total += sum(n for _, n in rows)
        return found, total

    def delete(self, sender_ids: Iterable[str]) -> tuple[int, int]:
        """Delete these conversations, every event of them. Returns (conversations, events) deleted."""
        senders = sorted(set(sender_ids))
        found, total = self.count(senders)
        if not found:
            return 0, 0
        with self.engine.begin() as conn:
            for chunk in _chunks(senders):
                conn.execute(delete(events).where(events.c.sender_id.in_(chunk)))
        return found, total

    def transcript(self, sender_id: str) -> list[dict]:
        """What the resident and the bot said in one conversation, oldest first (for a subject access export)."""
        if not self.has_events():
            return []
        query = (
            select(events.c.type_name, events.c.timestamp, events.c.intent_name, events.c.data)
            .where(events.c.sender_id == sender_id, events.c.type_name.in_(("user", "bot")))
            .order_by(events.c.id)
        )
        out = []
        with self.engine.connect() as conn:
            for type_name, timestamp, intent, data in conn.execute(query):
                try:
                    text = (json.loads(data or "{}") or {}).get("text")
                except (ValueError, AttributeError):
                    text = None
                who = "resident" if type_name == "user" else "bot"
                out.append({"who": who, "at": timestamp, "text": text, **({"intent": intent} if intent else {})})
        return out


def open_tracker(given: str | None, no_tracker: bool) -> TrackerStore | None:
    """The tracker from --tracker-db, else RASA_TRACKER_DB; None only when --no-tracker says there is none.

    Required, so that a conversation the web app forgets is never left with the bot: on SQLite a deleted
    SmsConversation's id can be given again, and the next number would inherit "sms-<id>"'s conversation.
    """
    if no_tracker:
        if given:
            raise click.UsageError("give --tracker-db or --no-tracker, not both")
        return None
    value = given or os.environ.get(ENV_VAR)
    if not value:
        raise click.UsageError(
            f"give the bot's tracker database with --tracker-db or {ENV_VAR} "
            "(or --no-tracker if the bot keeps no conversations)"
        )
    return TrackerStore(value)


def tracker_options(command):
    """--tracker-db and --no-tracker, shared by the retention and subject commands."""
    command = click.option(
        "--no-tracker",
        is_flag=True,
        help="The bot keeps no conversations here: leave the tracker out (its conversations are not deleted).",
    )(command)
    return click.option(
        "--tracker-db",
        metavar="URL_OR_PATH",
        help=f"Rasa's tracker store: a SQLAlchemy URL or a SQLite file path (default: {ENV_VAR}).",
    )(command)
