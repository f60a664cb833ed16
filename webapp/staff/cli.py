"""`flask staff create` and `flask api-token create|revoke`."""

import click
from flask.cli import AppGroup

from webapp import current_policy
from webapp.api.tokens import create_token, revoke_token
from webapp.staff.accounts import create_staff, roles

staff_cli = AppGroup("staff", help="Staff accounts.")
token_cli = AppGroup("api-token", help="Bearer tokens for CRMs.")


@staff_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", prompt="Full name", help="The person's full name")
@click.option("--role", prompt="Role", help="admin, contact_centre, or a handling role from the policy")
@click.password_option("--password", envvar="STAFF_PASSWORD", help="At least 12 characters (or STAFF_PASSWORD)")
def create_staff_command(username, full_name, role, password):
    """Create a staff account."""
    try:
        user = create_staff(current_policy(), username, full_name, role, password)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(f"Created {user.username} ({user.role}). Roles: {', '.join(roles(current_policy()))}")


@token_cli.command("create")
@click.argument("name")
def create_token_command(name):
    """Create a bearer token for a CRM called NAME. It is shown once: store it safely."""
    click.echo(create_token(name))


@token_cli.command("revoke")
@click.argument("name")
def revoke_token_command(name):
    """Revoke the token called NAME."""
    if not revoke_token(name):
        raise click.ClickException(f"no live token called {name}")
    click.echo(f"Revoked {name}.")
