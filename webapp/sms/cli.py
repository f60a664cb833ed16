"""`flask sms worker`: waiting texts to the bot, failed sends again. `flask messages list`: what came and went."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from asb_domain import danger_signal
from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

sms_cli = click.Group("sms", help="Text messages: the worker.")
messages_cli = click.Group("messages", help="Text messages in and out.")


@sms_cli.command("worker")
@click.option("--once", is_flag=True, help="One pass, then stop (for cron or tests).")
@click.option("--interval", default=0.05, show_default=True, help="Seconds between looks for new texts.")
@click.option(
    "--threads",
    type=int,
    # A thread spends most of a turn waiting for the bot, so threads, not CPU, capped the texts a second: with 4,
    # the bench's p95 passed a second at 25 a second; with 16, 156 ms. 12 stays within the store's connection
    # pool (5 + 10 overflow) with the main loop.
    default=lambda: int(os.environ.get("SMS_WORKER_THREADS", "12")),
    show_default="SMS_WORKER_THREADS or 12",
    help="Conversations answered at once (each number's texts still go one at a time, in order).",
)
@with_appcontext
def worker(once: bool, interval: float, threads: int) -> None:
    """Hand each number's waiting texts to the bot in order, send the replies, retry failed sends.

    Run as many of these as needed, on one machine or several: a number's texts are claimed by one worker
    at a time (webapp.sms.claims), so order is kept and nothing is answered twice.
    """
    from webapp.sms.conversations import housekeeping, process_pending, waiting_numbers

    if once:
        process_pending()
        return
    from webapp.sms.conversations import detect_language

    detect_language("loading the language detector now")  # seconds, once: not on a resident's first text
    danger_signal.warm_up()  # the second danger signal's embedder, asked before each bot turn
    app = current_app._get_current_object()
    busy: set[str] = set()  # numbers this process is answering now
    resting: dict[str, float] = {}  # numbers that had nothing due (a retry later, another worker's): not before
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="sms")
    last_housekeeping = 0.0
    while True:
        try:
            for phone in waiting_numbers():
                with lock:
                    if phone in busy or resting.get(phone, 0) > time.monotonic():
                        continue
                    busy.add(phone)
                pool.submit(_answer, app, phone, busy, resting, lock)
            if time.monotonic() - last_housekeeping >= HOUSEKEEPING_SECONDS:
                housekeeping()
                last_housekeeping = time.monotonic()
        except OperationalError:
            # The database went away: nothing is lost (every text is stored before it is queued); try again.
            logger.warning("store unavailable; the worker waits and tries again")
            time.sleep(1)
        except Exception as exc:  # noqa: BLE001 - the worker must outlive one bad pass
            logger.warning("a worker pass failed (%s); the next one tries again", type(exc).__name__)
            time.sleep(1)
        finally:
            db.session.remove()  # each look sees what the webhook stored since
        time.sleep(interval)


HOUSEKEEPING_SECONDS = 1.0


REST_SECONDS = 0.5


def _answer(app, phone: str, busy: set[str], resting: dict[str, float], lock: threading.Lock) -> None:
    from webapp.sms.conversations import process_number

    done = 0
    try:
        with app.app_context():
            try:
                done = process_number(phone)
            except Exception as exc:  # noqa: BLE001 - one conversation's failure must not stop the others
                # The error's class only: a database error's text carries the message and the number.
                logger.warning("could not answer a conversation (%s); it is tried again", type(exc).__name__)
            finally:
                db.session.remove()
    finally:
        with lock:
            busy.discard(phone)
            if done:
                resting.pop(phone, None)
            else:  # not due yet, or claimed elsewhere: look again in half a second, not every pass
                resting[phone] = time.monotonic() + REST_SECONDS


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
