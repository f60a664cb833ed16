"""Reply time per text: from the signed webhook request to the reply recorded by the outbound interface.

    .venv/bin/python bench/sms_turns.py [CONVERSATIONS]      (make bench-sms)

The real stack as the tests start it; one resident at a time, each text
followed by a pass of the worker (`flask sms worker` does that every 0.5 s).
Prints the webhook's own answer time too, and the segments a whole report
costs in English.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from asb_domain.sms import cost  # noqa: E402
from bench.chat_turns import percentile  # noqa: E402
from tests.bot.stack import Texter, start_stack, work  # noqa: E402

TEXTS = [
    "the lads upstairs play loud music every night till 3am",
    "every night",
    "flat above",
    "skip",
    "skip",
    *["1", "yes", "yes", "2", "1", "no", "1", "no", "no", "3", "2", "1", "3", "1"],
    "1 and 2",
    "Sam",
    "evenings",
    "yes",
    "yes",
]


def main(conversations: int) -> None:
    webhook, turn, segments = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        stack_gen = start_stack(Path(tmp))
        stack = next(stack_gen)
        try:
            for _ in range(conversations):
                texter = Texter(stack)
                spent = 0
                for text in TEXTS:
                    t0 = time.perf_counter()
                    response, _params = texter.post(text)
                    webhook.append((time.perf_counter() - t0) * 1000)
                    work(stack)
                    replies = texter.received()
                    turn.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200 and replies
                    spent += sum(cost(r).segments for r in replies)
                segments.append(spent)
        finally:
            stack_gen.close()
    figures = {
        "conversations": conversations,
        "texts_each": len(TEXTS),
        "webhook_answer_ms": {"p50": round(percentile(webhook, 50)), "p95": round(percentile(webhook, 95))},
        "text_to_reply_ms": {"p50": round(percentile(turn, 50)), "p95": round(percentile(turn, 95))},
        "segments_for_a_whole_report_en": segments[0],
    }
    print(json.dumps(figures, indent=2))
    (REPO / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (REPO / "bench" / "results" / "sms_turns.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
