"""`flask policy check [FILE]` and `flask policy show`.

A Flask plugin command (see pyproject.toml), so it runs without loading the
app: a landlord can check a broken policy file even when the app refuses to
start on it.
"""

from __future__ import annotations

import json
import sys

import click

from asb_domain.policy import PolicyError, default_policy_path, load_policy


@click.group("policy", help="Check or show the landlord's ASB policy file.")
def policy_cli() -> None:
    pass


@policy_cli.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
def check(file: str | None) -> None:
    """Check FILE (default: the policy in force) and print every problem."""
    path = file or default_policy_path()
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(
        f"{path}: OK ({len(policy.questions)} RAM questions, {len(policy.case_types)} case types, "
        f"{len(policy.not_asb)} matters not treated as ASB)"
    )


@policy_cli.command("show")
def show() -> None:
    """Print the policy in force (ASB_POLICY_FILE, or the shipped policy) as JSON."""
    try:
        policy = load_policy(default_policy_path())
    except PolicyError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(json.dumps({"source": policy.source, "policy": policy.raw}, indent=2, ensure_ascii=False))
