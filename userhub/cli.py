"""`flask --app userhub ...` commands: set-up, demo, mail worker, translations."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import make_url, select
from werkzeug.serving import run_simple

from . import dev, i18n, unit_of_work
from .accounts.models import AdminRole
from .accounts.provisioning import ProvisioningError, create_user
from .accounts.services import public_url, send_invitation
from .demo import prepare_access, seed
from .extensions import db
from .mail.outbox import deliver_due
from .mail.worker import run_forever, start_thread
from .organizations.models import Location, Organization
from .organizations.services import (OrganizationError, add_numbers, create_location, create_organization,
                                     ensure_package)
from .phones import InvalidPhoneNumber, number_range


def _organization(name_or_id: str) -> Organization:
    query = select(Organization).where(
        Organization.id == int(name_or_id) if name_or_id.isdigit() else Organization.name == name_or_id
    )
    organization = db.session.scalar(query)
    if organization is None:
        raise click.ClickException(f"No organization {name_or_id!r}.")
    return organization


@contextmanager
def changes(*refusals: type[Exception], fallback: str = "") -> Iterator[None]:
    """The one shape of a command that changes data: the block calls the services; a refusal becomes the
    command's error (exit status 1) and nothing is written; otherwise the block's work is committed."""
    try:
        with unit_of_work.committing():
            yield
    except refusals as exc:
        raise click.ClickException(getattr(exc, "message", "") or str(exc) or fallback) from exc


@click.command("create-organization")
@with_appcontext
@click.argument("name")
@click.option("--site-url", default="", help="The organization's site address, shown in activation emails.")
def create_organization_command(name: str, site_url: str) -> None:
    """Create a customer organization."""
    with changes(OrganizationError):
        organization = create_organization(name, site_url)
    click.echo(f"Organization {organization.id}: {organization.name}")


@click.command("create-package")
@with_appcontext
@click.argument("code")
@click.argument("name")
def create_package_command(code: str, name: str) -> None:
    """Add a package to the catalogue administrators choose from in the wizard (once per package)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise click.ClickException("A package needs a code and a name.")
    with changes():
        package = ensure_package(code, name)
    click.echo(f"Package {package.id}: {package.name}")


@click.command("create-location")
@with_appcontext
@click.option("--organization", "organization_ref", required=True, help="Organization name or id.")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO country code, e.g. FR.")
@click.option("--time-zone", required=True, help="IANA time zone, e.g. Europe/Paris.")
@click.option("--numbers", "number_ranges", multiple=True,
              help="A number or a range FIRST..LAST, e.g. '+33 1 84 88 32 00..+33 1 84 88 32 19'.")
def create_location_command(organization_ref: str, name: str, country: str, time_zone: str,
                            number_ranges: tuple[str, ...]) -> None:
    """Create a location with its pool of numbers."""
    organization = _organization(organization_ref)
    with changes(OrganizationError, InvalidPhoneNumber, fallback="Invalid number range."):
        location = create_location(organization, name, country, time_zone)
        numbers: list[str] = []
        for item in number_ranges:
            first, _, last = item.partition("..")
            numbers.extend(number_range(first, last, country) if last else [first])
        add_numbers(location, numbers)
    click.echo(f"Location {location.id}: {location.name}, {len(numbers)} numbers")


@click.command("invite-user")
@with_appcontext
@click.option("--organization", "organization_ref", required=True, help="Organization name or id.")
@click.option("--email", required=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--location", "location_name", default="", help="Location name (optional).")
@click.option("--extension", default="", help="Internal extension (optional).")
@click.option("--locale", type=click.Choice(sorted(i18n.LANGUAGES)), default="fr")
def invite_user_command(organization_ref: str, email: str, first_name: str, last_name: str,
                        location_name: str, extension: str, locale: str) -> None:
    """Create an employee and email them the activation link."""
    organization = _organization(organization_ref)
    location = None
    if location_name:
        location = db.session.scalar(
            select(Location).where(Location.organization_id == organization.id, Location.name == location_name)
        )
        if location is None:
            raise click.ClickException(f"No location {location_name!r} in {organization.name}.")
    with changes(ProvisioningError):
        user = create_user(organization, email, first_name=first_name, last_name=last_name,
                           location=location, extension=extension or None, locale=locale)
        send_invitation(user)
    click.echo(f"User {user.email} invited.")


@click.command("create-admin")
@with_appcontext
@click.option("--organization", "organization_ref", required=True, help="Organization name or id.")
@click.option("--email", required=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--role", type=click.Choice(["full", "user", "read_only"]), default="full")
@click.option("--locale", type=click.Choice(sorted(i18n.LANGUAGES)), default="fr")
def create_admin_command(organization_ref: str, email: str, first_name: str, last_name: str,
                         role: str, locale: str) -> None:
    """Create an administrator and email (and print) the activation link."""
    organization = _organization(organization_ref)
    with changes(ProvisioningError):
        user = create_user(organization, email, first_name=first_name, last_name=last_name,
                           admin_role=AdminRole(role), locale=locale)
        issued = send_invitation(user)
    click.echo(f"Administrator {user.email} created. Activation link:")
    click.echo(public_url("accounts.activation_link", token=issued.raw))


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo organization, locations, numbers and people (once)."""
    organization = seed()
    click.echo(f"Demo organization {organization.id}: {organization.name}")


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    """Only warnings and errors from logger ``name`` while the block runs."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@click.command("demo")
@with_appcontext
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def demo_command(host: str, port: int) -> None:
    """Migrate, load demo data, print how to sign in, and serve the portal."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base = f"http://{host}:{port}"
    app.config["USERHUB_BASE_URL"] = base
    with _quiet_logger("alembic"):  # a line per migration would push the sign-in details off the screen
        upgrade()
    shown = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    click.echo(f"Database {shown} is at the latest schema.")
    access = prepare_access()
    if not app.config["USERHUB_DEMO_MAILBOX"]:

        app.config["USERHUB_DEMO_MAILBOX"] = True
        app.register_blueprint(dev.bp)
    if "userhub_outbox_worker" not in app.extensions:
        start_thread(app)
    click.echo("")
    click.echo("userhub demo is running on " + base)
    click.echo(f"  Administrator: sign in at {base}/sign-in")
    click.echo(f"                 email    {access.admin_email}")
    click.echo(f"                 password {access.admin_password}")
    if access.activation_url:
        click.echo(f"  Pending user {access.pending_email}: open the activation link")
        click.echo(f"                 {access.activation_url}")
    click.echo(f"  Emails the portal sends are shown at {base}/demo-mailbox/")
    click.echo("")

    run_simple(host, port, app, threaded=True)


@click.command("mail-worker")
@with_appcontext
def mail_worker_command() -> None:
    """Deliver queued emails until interrupted (run one per outbox in production)."""
    run_forever(current_app._get_current_object())  # type: ignore[attr-defined]


@click.command("deliver-mail")
@with_appcontext
def deliver_mail_command() -> None:
    """Deliver the emails that are due, once, and exit."""
    click.echo(f"{deliver_due()} email(s) sent")

translate = AppGroup("translate", help="Extract, update and compile the translation catalogues.")

def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)

def _extract() -> Path:
    root = i18n.TRANSLATIONS_DIR
    pot = root / "messages.pot"
    _pybabel("-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_l", "--no-location", "--sort-output",
             "-o", str(pot), str(root.parent))
    return pot

@translate.command("extract")
def extract() -> None:
    """Collect the strings to translate into translations/messages.pot and list what each language lacks."""
    pot = _extract()
    with pot.open("rb") as handle:
        wanted = [m for m in read_po(handle) if m.id]
    for locale_dir in sorted(p for p in i18n.TRANSLATIONS_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()):
        catalogue = i18n.read_catalogue(locale_dir)
        missing = [m for m in wanted if m.id not in catalogue or not catalogue[m.id].string]
        click.echo(f"{locale_dir.name}: {len(missing)} string(s) to translate")

@translate.command("add")
@click.argument("area")
def add(area: str) -> None:
    """Add the strings no catalogue has yet to translations/<lang>/LC_MESSAGES/AREA.po: empty in
    French (to translate by hand), the same text in English (the source language)."""
    pot = _extract()
    with pot.open("rb") as handle:
        wanted = [m for m in read_po(handle) if m.id]
    for locale_dir in sorted(p for p in i18n.TRANSLATIONS_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()):
        locale = locale_dir.name
        known = i18n.read_catalogue(locale_dir)
        path = locale_dir / "LC_MESSAGES" / f"{area}.po"
        if path.exists():
            with path.open("rb") as handle:
                target = read_po(handle, locale=locale)
        else:
            target = Catalog(locale=locale, project="userhub")
        added = 0
        for message in wanted:
            if message.id in known and known[message.id].string:
                continue
            if message.id in target:
                continue
            if locale == "en":
                string = message.id
            else:
                string = ("", "") if isinstance(message.id, tuple) else ""
            target.add(message.id, string, context=message.context)
            added += 1
        with path.open("wb") as handle:
            write_po(handle, target, width=120, omit_header=False, sort_output=True)
        click.echo(f"{path}: {added} string(s) added")

@translate.command("compile")
def compile_() -> None:
    """Compile the catalogues into the instance folder (.mo files are build products, not kept in git;
    the wheel's build compiles its own)."""
    click.echo(f"compiled into {i18n.compiled_catalogues(current_app)}")


def register_cli(app: Flask) -> None:
    """The commands of `flask --app userhub ...`; the admin area adds its own (admin/cli.py)."""
    for command in (create_organization_command, create_package_command, create_location_command, invite_user_command,
                    create_admin_command, seed_demo_command, demo_command, mail_worker_command,
                    deliver_mail_command):
        app.cli.add_command(command)
    app.cli.add_command(translate)
