"""Texts that arrived while the store was down: kept on local disk, stored when it is back.

The webhook stores every text before it answers Twilio. When the database cannot be reached, it writes
the text here instead (one file a text, written whole, then renamed into place, readable by this user
only) and still answers 200, so nothing depends on Twilio's retries, which give up. A text that signals
danger gets the 999 advice at once all the same, straight through the outbound sender.

The first webhook request or worker pass that reaches the store again takes the files in arrival order,
under a lock so no two processes take the same one, and each goes on as if it had just arrived. A text
already stored (Twilio retried it) is stored once.

The files hold a resident's words and number until then: SMS_SPOOL_DIR must be on a local disk of the
machine that runs the web app and its worker (under instance/ by default), never on shared storage.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError, OperationalError

from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)


def spool_dir() -> Path:
    configured = current_app.config.get("SMS_SPOOL_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "sms-spool"


def inbound_message(fields: dict) -> InboundMessage:
    """A text as the store keeps it, from the fields the webhook took (the same whether stored at once or
    kept here first): only what is needed, never FromCity, FromZip and the like."""
    return InboundMessage(
        channel="sms",
        provider_sid=fields["provider_sid"],
        from_number=fields["from_number"],
        to_number=fields.get("to_number"),
        body=fields["body"],
        media=fields.get("media") or [],
        status="received",
        received_at=datetime.fromisoformat(fields["received_at"]),
    )


def pending() -> bool:
    folder = spool_dir()
    return folder.is_dir() and any(p.suffix == ".json" for p in folder.iterdir())


def keep(fields: dict) -> Path:
    """Write one text to the spool, whole or not at all."""
    folder = spool_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Arrival order is the name's order: nanoseconds, then the message id (which makes it unique).
    name = f"{time.time_ns():020d}-{''.join(c for c in fields['provider_sid'] if c.isalnum())[:64]}"
    temporary = folder / f".{name}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(fields, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    final = folder / f"{name}.json"
    os.replace(temporary, final)
    return final


def tell_danger_now(fields: dict) -> None:
    """The 999 advice for a text that signals danger, sent at once although it cannot be stored yet."""
    from asb_domain.triage import EMERGENCY, triage
    from webapp import current_policy
    from webapp.outbound import SendError, sender
    from webapp.sms.conversations import danger_text, detect_language

    lang = detect_language(fields["body"]) or "en"
    # With the second danger signal (20-45 ms, which the webhook spends only while the store is down): the text
    # may wait long for the worker.
    result = triage(current_policy(), fields["body"], lang)
    if result.outcome != EMERGENCY:
        return
    with force_locale(lang):
        body = danger_text(result.flags)
    try:
        provider_sid = sender().send(fields["from_number"], body)
    except SendError:
        return  # not sent: the advice goes when the text is stored, as for any other
    fields["danger"] = {"body": body, "sid": provider_sid, "sent_at": datetime.now(UTC).isoformat()}


@contextmanager
def _locked():
    folder = spool_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process at a time takes the files, in order
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ingest() -> int:
    """Store every spooled text, oldest first, and let each go on as if it had just arrived. How many."""
    from webapp.sms import conversations

    if not pending():
        return 0
    taken = 0
    with _locked() as folder:
        for path in sorted(folder.glob("*.json")):
            fields = json.loads(path.read_text(encoding="utf-8"))
            message = inbound_message(fields)
            db.session.add(message)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()  # stored already (Twilio's retry reached the store first)
                path.unlink()
                continue
            except OperationalError:
                db.session.rollback()
                raise  # still down: the files stay for the next try
            danger = fields.get("danger")
            if danger:
                # What was sent while the store was down, on the record; and not sent twice.
                message.danger_told = True
                db.session.add(
                    OutboundMessage(
                        to_number=message.from_number,
                        body=danger["body"],
                        dedupe_key=f"danger:{message.provider_sid}",
                        in_reply_to_id=message.id,
                        status="sent",
                        provider_sid=danger["sid"],
                        sent_at=datetime.fromisoformat(danger["sent_at"]),
                        created_at=datetime.fromisoformat(danger["sent_at"]),
                        attempts=1,
                    )
                )
                db.session.commit()
            path.unlink()  # stored: the arrival steps below are the same for a text stored at once
            conversations.on_arrival(message)
            taken += 1
    if taken:
        logger.info("stored %s texts that arrived while the store was down", taken)
    return taken
