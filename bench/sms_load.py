"""Open-loop text load: arrivals on a clock, whatever the replies are doing.

Text i arrives at i / rate seconds, from resident i mod 50, each resident working through a whole report
(tests/bot/scripts.py). Through the service: a signed webhook request, timed to the first reply the SMS
worker sent for it (read from the store afterwards, so measuring costs the service nothing). Through Rasa
alone: the same texts to its REST channel, timed to its answer.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from twilio.request_validator import RequestValidator

from bench import chat_turns
from tests.bot.scripts import report_by_text

CONVERSATIONS = 50
SCRIPT = report_by_text("en")


def percentile(values: list[float], p: float) -> float | None:
    """bench.chat_turns.percentile, and None when nothing was measured."""
    return chat_turns.percentile(values, p) if values else None


@dataclass
class Arrival:
    resident: str
    text: str
    sid: str = ""
    sent_at: float = 0.0  # wall clock, to compare with the store's timestamps
    answer_ms: float | None = None  # the webhook's (or Rasa's) own answer time
    reply_ms: float | None = None
    failed: bool = False


def schedule(rate: float, seconds: float, prefix: str) -> list[Arrival]:
    arrivals = []
    for i in range(int(rate * seconds)):
        turn = i // CONVERSATIONS
        resident = f"{prefix}-{i % CONVERSATIONS}-{turn // len(SCRIPT)}"
        arrivals.append(Arrival(resident, SCRIPT[turn % len(SCRIPT)]))
    return arrivals


def drive(arrivals: list[Arrival], rate: float, send) -> float:
    """Send each arrival at its time, each in its own thread; the rate actually achieved."""
    pool = ThreadPoolExecutor(max_workers=128)
    local = threading.local()
    start = time.monotonic() + 0.2

    def one(arrival: Arrival) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        try:
            send(local.http, arrival)
        except requests.RequestException:
            arrival.failed = True

    for i, arrival in enumerate(arrivals):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        pool.submit(one, arrival)
    pool.shutdown(wait=True)
    spent = time.monotonic() - start
    return len(arrivals) / spent if spent > 0 else 0.0


def sms_sender(web_url: str, twilio_token: str):
    url = f"{web_url}/sms/inbound"
    validator = RequestValidator(twilio_token)
    numbers: dict[str, str] = {}
    lock = threading.Lock()

    def send(http: requests.Session, arrival: Arrival) -> None:
        with lock:
            number = numbers.setdefault(arrival.resident, f"+447{len(numbers) + 100000000:09d}")
        arrival.sid = "SM" + uuid.uuid4().hex
        params = {"MessageSid": arrival.sid, "AccountSid": "AC" + "0" * 32, "From": number, "To": "+447700900000"}
        params.update(Body=arrival.text, NumMedia="0")
        headers = {"X-Twilio-Signature": validator.compute_signature(url, params)}
        arrival.sent_at = time.time()
        t0 = time.perf_counter()
        response = http.post(url, data=params, headers=headers, timeout=30)
        arrival.answer_ms = (time.perf_counter() - t0) * 1000
        arrival.failed = response.status_code != 200

    return send


def rasa_sender(rasa_url: str):
    def send(http: requests.Session, arrival: Arrival) -> None:
        body = {"sender": arrival.resident, "message": arrival.text, "metadata": {"lang": "en", "channel": "sms"}}
        t0 = time.perf_counter()
        response = http.post(f"{rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        arrival.reply_ms = arrival.answer_ms = (time.perf_counter() - t0) * 1000
        arrival.failed = response.status_code != 200

    return send


def collect_sms_replies(app, arrivals: list[Arrival], wait_s: float = 120) -> None:
    """Fill in reply_ms from the store: the first reply sent to each text, once the worker has caught up."""
    from sqlalchemy import func, select

    from webapp.extensions import db
    from webapp.models import InboundMessage, OutboundMessage

    sids = [a.sid for a in arrivals if a.sid and not a.failed]
    deadline = time.monotonic() + wait_s
    with app.app_context():
        while time.monotonic() < deadline:
            waiting = db.session.scalar(
                select(func.count())
                .select_from(InboundMessage)
                .where(InboundMessage.provider_sid.in_(sids))
                .where(InboundMessage.status.in_(("received", "queued", "retry")))
            )
            db.session.remove()
            if not waiting:
                break
            time.sleep(0.5)
        rows = db.session.execute(
            select(InboundMessage.provider_sid, func.min(OutboundMessage.sent_at))
            .join(OutboundMessage, OutboundMessage.in_reply_to_id == InboundMessage.id)
            .where(InboundMessage.provider_sid.in_(sids), OutboundMessage.sent_at.is_not(None))
            .group_by(InboundMessage.provider_sid)
        ).all()
        db.session.remove()
    first_reply = {sid: at.timestamp() for sid, at in rows}
    for arrival in arrivals:
        if arrival.sid in first_reply:
            arrival.reply_ms = (first_reply[arrival.sid] - arrival.sent_at) * 1000


def figures(arrivals: list[Arrival], achieved: float) -> dict:
    # A text never answered counts as slower than any answered one.
    replies = [a.reply_ms if a.reply_ms is not None else float("inf") for a in arrivals if not a.failed]
    answers = [a.answer_ms for a in arrivals if a.answer_ms is not None]
    return {
        "texts": len(arrivals),
        "achieved_per_s": round(achieved, 1),
        "answered": sum(r != float("inf") for r in replies),
        "failed": sum(a.failed for a in arrivals),
        "reply_p50_ms": _round(percentile(replies, 50)),
        "reply_p95_ms": _round(percentile(replies, 95)),
        "answer_p95_ms": _round(percentile(answers, 95)),
    }


def _round(value):
    return None if value is None or value == float("inf") else round(value, 1)
