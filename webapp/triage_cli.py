"""`flask triage`: the one triage function on past messages, to check a changed policy or model before going live.

    flask --app webapp triage --lang pl "sasiad wali muzyke co noc"
    flask --app webapp triage --jsonl messages.jsonl      # lines of {"lang": ..., "text": ...}
    flask --app webapp triage-eval tests/data/triage      # accuracy per language on labelled sets

Uses the running bot's NLU (RASA_URL) when it answers, else starts a Rasa
server with the trained model and stops it after. `--rules-only` leaves the
NLU out.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from asb_domain import danger_signal
from asb_domain.triage import EMERGENCY, NOT_ASB, triage
from webapp.bot_client import nlu_for
from webapp.bot_process import BotNotBuilt, running_nlu

# What `make eval` holds the bot to, in every language it speaks.
TARGET_ACCURACY = 0.95
TARGET_EMERGENCY_RECALL = 1.0


def _nlu_context(rules_only: bool):
    if rules_only:
        return nullcontext(None)
    return running_nlu(current_app.config.get("RASA_URL"), current_app.config.get("RASA_TOKEN"))


def _read_jsonl(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise click.ClickException(f'{path}:{number}: each line needs {{"lang": ..., "text": ...}}')
        items.append(item)
    return items


def triage_all(items: list[dict], rules_only: bool = False) -> list[dict]:
    policy = current_app.extensions["asb_policy"]
    try:
        with _nlu_context(rules_only) as client:
            nlu = nlu_for(policy, client) if client else None
            return [triage(policy, i["text"], i.get("lang") or "en", nlu=nlu).as_dict() for i in items]
    except BotNotBuilt as exc:
        raise click.ClickException(f"{exc} (or use --rules-only)") from None


@click.command("triage")
@click.argument("text", required=False)
@click.option("--lang", default="en", show_default=True, help="The language of TEXT.")
@click.option("--jsonl", "jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rules-only", is_flag=True, help="The policy's phrase rules alone, without the bot's NLU.")
@with_appcontext
def triage_cli(text: str | None, lang: str, jsonl: Path | None, rules_only: bool) -> None:
    """Triage TEXT, or every line of a JSONL file, and print one JSON object a message."""
    if (text is None) == (jsonl is None):
        raise click.UsageError("give TEXT or --jsonl FILE")
    items = _read_jsonl(jsonl) if jsonl else [{"lang": lang, "text": text}]
    for result in triage_all(items, rules_only):
        click.echo(json.dumps(result, ensure_ascii=False))


def evaluate(items: list[dict], results: list[dict]) -> dict[str, dict]:
    """Per language: accuracy (outcome right, and the right matter when screened out), emergency recall,
    not-ASB precision, and how often the case type agrees where the set names one."""
    by_lang: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for item, got in zip(items, results, strict=True):
        s = by_lang[item.get("lang") or "en"]
        s["n"] += 1
        right = got["outcome"] == item["outcome"]
        if right and item["outcome"] == NOT_ASB:
            right = got["matter"] == item.get("matter")
        s["correct"] += right
        if item["outcome"] == EMERGENCY:
            s["emergencies"] += 1
            s["emergencies_found"] += got["outcome"] == EMERGENCY
        if got["outcome"] == NOT_ASB:
            s["screened"] += 1
            s["screened_right"] += item["outcome"] == NOT_ASB
        if item.get("case_type") and item["outcome"] != NOT_ASB:
            s["typed"] += 1
            s["type_right"] += got["case_type"] == item["case_type"]
    report = {}
    for lang, s in sorted(by_lang.items()):
        report[lang] = {
            "messages": s["n"],
            "accuracy": s["correct"] / s["n"],
            "emergency_recall": s["emergencies_found"] / s["emergencies"] if s["emergencies"] else 1.0,
            "not_asb_precision": s["screened_right"] / s["screened"] if s["screened"] else 1.0,
            "case_type_agreement": s["type_right"] / s["typed"] if s["typed"] else None,
        }
    return report


@click.command("triage-eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rules-only", is_flag=True, help="The policy's phrase rules alone, without the bot's NLU.")
@click.option("--show-misses", is_flag=True, help="Print each message triaged wrongly (contains their text).")
@with_appcontext
def triage_eval_cli(folder: Path, rules_only: bool, show_misses: bool) -> None:
    """Triage every labelled set in FOLDER (*.jsonl) and print accuracy, emergency recall and not-ASB precision."""
    items = [item for path in sorted(folder.glob("*.jsonl")) for item in _read_jsonl(path)]
    results = triage_all(items, rules_only)
    report = evaluate(items, results)
    click.echo(
        f"{'lang':<6}{'messages':>9}{'accuracy':>10}{'emergency recall':>18}{'not-ASB precision':>19}{'case type':>11}"
    )
    failed = False
    for lang, r in report.items():
        ok = r["accuracy"] >= TARGET_ACCURACY and r["emergency_recall"] >= TARGET_EMERGENCY_RECALL
        failed |= not ok
        agreement = f"{r['case_type_agreement']:.1%}" if r["case_type_agreement"] is not None else "-"
        click.echo(
            f"{lang:<6}{r['messages']:>9}{r['accuracy']:>10.1%}{r['emergency_recall']:>18.1%}"
            f"{r['not_asb_precision']:>19.1%}{agreement:>11}{'' if ok else '  BELOW TARGET'}"
        )
    used = "rules only" if rules_only else "rules + NLU"
    used += " + danger signal" if danger_signal.default() is not None else " (no danger signal)"
    click.echo(f"targets: accuracy >= {TARGET_ACCURACY:.0%}, emergency recall {TARGET_EMERGENCY_RECALL:.0%} ({used})")
    if show_misses:
        for item, got in zip(items, results, strict=True):
            wrong = got["outcome"] != item["outcome"] or (
                item["outcome"] == NOT_ASB and got["matter"] != item.get("matter")
            )
            if wrong:
                click.echo(json.dumps({"expected": item, "got": got}, ensure_ascii=False), err=True)
    if failed:
        sys.exit(1)
