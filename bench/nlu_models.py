"""One NLU model for every language, or one per language? Quality, memory and load time on the team's sets.

    .venv/bin/python bench/nlu_models.py        (make bench-nlu)

Trains an NLU-only model per language (intents/<lang>) beside the shipped
all-languages model, starts a Rasa server on each, and triages the labelled
sets (tests/data/triage*) with each language's model. Prints a table and
writes it to bench/results/nlu_models.json.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from webapp import create_app  # noqa: E402
from webapp.bot_client import RasaClient, nlu_for  # noqa: E402
from webapp.bot_process import MODEL, RASA_VENV, free_port, start_rasa, stop, wait_ready  # noqa: E402
from webapp.config import DevelopmentConfig  # noqa: E402
from webapp.triage_cli import _read_jsonl, evaluate  # noqa: E402

OUT = REPO / "bench" / "results"
WORK = Path(os.environ.get("BENCH_WORK") or Path(tempfile.gettempdir()) / "asb-bench-nlu")


def rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout  # noqa: S603,S607
    return [int(p) for p in out.split()]


def train(lang: str) -> tuple[Path, float]:
    target = WORK / f"nlu-{lang}.tar.gz"
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [
            str(RASA_VENV / "bin" / "rasa"),
            "train",
            "nlu",
            "--nlu",
            f"intents/{lang}",
            "--config",
            "bot/config.yml",
            "--out",
            str(WORK),
            "--fixed-model-name",
            f"nlu-{lang}",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    return target, time.monotonic() - started


def serve(model: Path):
    port, token = free_port(), secrets.token_urlsafe(8)
    process = start_rasa(port, token, model=model)
    client = RasaClient(f"http://127.0.0.1:{port}", token, parse_timeout=10)
    started = time.monotonic()
    wait_ready(client, process)
    return process, client, time.monotonic() - started


def score(app, client, items):
    from asb_domain.triage import triage

    policy = app.extensions["asb_policy"]
    nlu = nlu_for(policy, client)
    parse_times, results = [], []
    for item in items:
        t0 = time.perf_counter()
        results.append(triage(policy, item["text"], item["lang"], nlu=nlu).as_dict())
        parse_times.append(time.perf_counter() - t0)
    parse_times.sort()
    return evaluate(items, results), parse_times[len(parse_times) // 2] * 1000


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_app(DevelopmentConfig)
    sets = {
        name: [i for p in sorted((REPO / "tests" / "data" / name).glob("*.jsonl")) for i in _read_jsonl(p)]
        for name in ("triage", "triage_holdout")
    }
    rows = []
    with app.app_context():
        process, client, load = serve(MODEL)
        try:
            for name, items in sets.items():
                report, p50 = score(app, client, items)
                for lang, r in report.items():
                    rows.append(
                        {
                            "model": "all languages",
                            "set": name,
                            "lang": lang,
                            "load_s": round(load, 1),
                            "rss_mb": round(rss_mb(process.pid)),
                            "parse_p50_ms": round(p50, 1),
                            **r,
                        }
                    )
        finally:
            stop(process)
        for lang in ("en", "pl", "ur"):
            model, train_s = train(lang)
            process, client, load = serve(model)
            try:
                for name, items in sets.items():
                    mine = [i for i in items if i["lang"] == lang]
                    report, p50 = score(app, client, mine)
                    rows.append(
                        {
                            "model": f"{lang} only",
                            "set": name,
                            "lang": lang,
                            "train_s": round(train_s),
                            "load_s": round(load, 1),
                            "rss_mb": round(rss_mb(process.pid)),
                            "parse_p50_ms": round(p50, 1),
                            **report[lang],
                        }
                    )
            finally:
                stop(process)
    head = ("model", "set", "lang", "accuracy", "recall", "not-ASB prec", "load s", "RSS MB")
    print("{:<14}{:<16}{:<6}{:>9}{:>8}{:>13}{:>8}{:>8}".format(*head))
    for r in rows:
        print(
            f"{r['model']:<14}{r['set']:<16}{r['lang']:<6}{r['accuracy']:>9.1%}{r['emergency_recall']:>8.1%}"
            f"{r['not_asb_precision']:>13.1%}{r['load_s']:>8}{r['rss_mb']:>8}"
        )
    (OUT / "nlu_models.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
