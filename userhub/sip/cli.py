"""`flask sip-server add|rotate|list|remove NAME`: the SIP servers allowed to ask for call decisions."""

from __future__ import annotations

import click

from ..cli import changes
from .blueprint import bp


@bp.cli.command("add")
@click.argument("name")
def add_command(name: str) -> None:
    """Allow a SIP server; prints its credential once (put it in the proxy's configuration)."""
    from .services import SipError, add_server

    with changes(SipError):
        server, token = add_server(name)
    click.echo(f"SIP server {server.name} added. Its credential (shown once): {token}")


@bp.cli.command("rotate")
@click.argument("name")
def rotate_command(name: str) -> None:
    """Give a SIP server a new credential; the old one stops working within 10 seconds (each web process
    remembers a checked credential that long)."""
    from .services import SipError, rotate_server

    with changes(SipError):
        token = rotate_server(name)
    click.echo(f"New credential of {name} (shown once): {token}")


@bp.cli.command("list")
def list_command() -> None:
    """The SIP servers allowed to ask for call decisions."""
    from .services import servers

    found = servers()
    for server in found:
        rotated = server.rotated_at.isoformat(timespec="seconds") if server.rotated_at else "never"
        click.echo(f"{server.name}\tadded {server.created_at.isoformat(timespec='seconds')}\trotated {rotated}")
    if not found:
        click.echo("No SIP server.")


@bp.cli.command("remove")
@click.argument("name")
def remove_command(name: str) -> None:
    """Stop a SIP server from asking for call decisions."""
    from .services import SipError, remove_server

    with changes(SipError):
        remove_server(name)
    click.echo(f"SIP server {name} removed.")
