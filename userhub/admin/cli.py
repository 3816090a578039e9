"""CLI of the admin area."""

from __future__ import annotations

import click

from sqlalchemy import select

from ..accounts.models import User
from ..cli import _organization, changes
from ..extensions import db
from .blueprint import bp
from .jobs import resume_unfinished
from .models import PartnerOrganization


@bp.cli.command("run-jobs")
def run_jobs_command() -> None:
    """Finish imports and invitation sendings that a restart interrupted."""
    click.echo(f"{resume_unfinished()} job(s) run.")


@bp.cli.command("grant-partner")
@click.option("--email", required=True, help="The partner administrator.")
@click.option("--organization", "organization_ref", required=True, help="Organization name or id to manage.")
def grant_partner_command(email: str, organization_ref: str) -> None:
    """Let a partner (wholesale) administrator manage another organization."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.admin_role is None:
        raise click.ClickException("No administrator with this address.")
    organization = _organization(organization_ref)
    with changes():
        db.session.add(PartnerOrganization(user_id=user.id, organization_id=organization.id))
    click.echo(f"{user.email} now manages {organization.name}.")
