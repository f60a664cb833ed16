"""`flask reports purge-unsubmitted`: delete reports started and never sent, past the policy's retention time."""

import click
from flask.cli import AppGroup

from webapp import current_policy
from webapp.report.drafts import purge_unsubmitted

report_cli = AppGroup("reports", help="Look after the report store.")


@report_cli.command("purge-unsubmitted")
def purge_command() -> None:
    """Delete unsubmitted reports older than the policy's retention time."""
    count = purge_unsubmitted(current_policy())
    click.echo(f"Deleted {count} unsubmitted report(s).")
