"""Reply time per message: whole conversations through the web chat, and through Rasa's REST channel alone.

    .venv/bin/python bench/chat_turns.py [CONVERSATIONS]      (make bench-chat)

Starts the web app (live server, SQLite), the action server and the Rasa
server with the trained model, as the tests do; measures the model's load
time, then drives whole reports one message at a time. Closed loop: one
resident at a time, so these are reply times, not throughput.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.bot.stack import start_stack  # noqa: E402

MESSAGES = [
    "the bloke upstairs plays loud music every night till 3am",
    "every night from about 11",
    "the flat above mine",
    "Flat 4, 12 River Road, AB1 2CD",
    "skip",
    "pretty much every night",
    "same lads as last time",
    "yeah its getting worse",
    "we know each other a bit",
    "not that i know of",
    "no",
    "me",
    "no",
    "2",
    "a lot",
    "cant sleep, anxiety",
    "no",
    "a few",
    "1",
    "text or call",
    "07700 900123",
    "Sam",
    "weekday evenings",
    "yes",
    "yes send it",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(conversations: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        stack_gen = start_stack(Path(tmp))
        stack = next(stack_gen)
        load = time.monotonic() - started
        web, rest = [], []
        try:
            for n in range(conversations):
                resident = stack.resident()
                for message in MESSAGES:
                    t0 = time.perf_counter()
                    resident.says(message)
                    web.append((time.perf_counter() - t0) * 1000)
                sender = f"bench-rest-{n}"
                for message in MESSAGES:
                    t0 = time.perf_counter()
                    requests.post(
                        f"{stack.rasa_url}/webhooks/rest/webhook",
                        json={"sender": sender, "message": message, "metadata": {"lang": "en"}},
                        timeout=30,
                    ).raise_for_status()
                    rest.append((time.perf_counter() - t0) * 1000)
            reports = len(stack.reports())
        finally:
            stack_gen.close()
    figures = {
        "conversations": conversations,
        "messages_each": len(MESSAGES),
        "reports_in_queue": reports,
        "stack_ready_s": round(load, 1),
        "web_chat_ms": {
            "p50": round(percentile(web, 50)),
            "p95": round(percentile(web, 95)),
            "mean": round(statistics.mean(web)),
        },
        "rasa_rest_ms": {
            "p50": round(percentile(rest, 50)),
            "p95": round(percentile(rest, 95)),
            "mean": round(statistics.mean(rest)),
        },
    }
    print(json.dumps(figures, indent=2))
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "chat_turns.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
