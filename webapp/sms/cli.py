"""`flask sms worker`: waiting texts to the bot, failed sends again. `flask messages list`: what came and went."""

from __future__ import annotations

import json
import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage

sms_cli = click.Group("sms", help="Text messages: the worker.")
messages_cli = click.Group("messages", help="Text messages in and out.")


@sms_cli.command("worker")
@click.option("--once", is_flag=True, help="One pass, then stop (for cron or tests).")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between passes.")
@with_appcontext
def worker(once: bool, interval: float) -> None:
    """Hand each number's waiting texts to the bot in order, send the replies, retry failed sends."""
    from webapp.sms.conversations import process_pending

    while True:
        process_pending()
        db.session.remove()  # each pass sees what the webhook stored since
        if once:
            return
        time.sleep(interval)


def _iso(value):
    return value.isoformat() if value else None


@messages_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a message.")
@click.option("--limit", default=100, show_default=True)
@with_appcontext
def list_messages(as_json: bool, limit: int) -> None:
    """What came in and went out, newest last, with status (numbers and words included: handle with care)."""
    rows = []
    for m in db.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc()).limit(limit)):
        rows.append(
            {
                "direction": "in",
                "id": m.id,
                "sid": m.provider_sid,
                "number": m.from_number,
                "body": m.body,
                "status": m.status,
                "attempts": m.attempts,
                "at": _iso(m.received_at),
            }
        )
    for m in db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id.desc()).limit(limit)):
        rows.append(
            {
                "direction": "out",
                "id": m.id,
                "sid": m.provider_sid,
                "number": m.to_number,
                "body": m.body,
                "status": m.status,
                "attempts": m.attempts,
                "error": m.last_error_code,
                "at": _iso(m.created_at),
            }
        )
    rows.sort(key=lambda r: r["at"] or "")
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{row['at']} {row['direction']:>3} {row['status']:<10} {row['number']} {row['body'][:60]!r}")
