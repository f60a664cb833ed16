"""`flask diary verify REFERENCE`: is every diary entry as it was received?"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from webapp import reports

diary_cli = click.Group("diary", help="The incident diary.")


@diary_cli.command("verify")
@click.argument("reference")
@with_appcontext
def verify(reference: str) -> None:
    """Check the diary's hash chain: exit 0 when intact, 1 with each break."""
    from webapp.diary.store import check_chain

    report = reports.find_submitted(reference)
    if report is None:
        raise click.ClickException(f"no submitted report {reference}")
    breaks = check_chain(report)
    if not breaks:
        click.echo(f"{reference}: {len(report.diary)} diary entries, chain intact")
        return
    for b in breaks:
        click.echo(f"{reference}: entry {b.seq} {b.problem}")
    sys.exit(1)
