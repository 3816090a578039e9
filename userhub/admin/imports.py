"""CSV export of the users list, and import of users from CSV or .xlsx (see tables.py for the dialects):
check the whole file, then import in chunks.

Columns: first_name, last_name, email, package (code or name), location (name), number, extension.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts import provisioning
from ..accounts.emails import InvalidEmail, normalise_email
from ..accounts.models import User
from ..accounts.services import send_invitation
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import ActivationEmails, Location, Organization, Package, PhoneNumber
from ..phones import InvalidPhoneNumber, is_extension, parse_number
from . import audit, bulk, jobs, tables, users
from .models import AdminJob, JobKind

COLUMNS = ["first_name", "last_name", "email", "package", "location", "number", "extension"]
MAX_ROWS = 20_000


def export_rows(app: Flask, organization_id: int, query: users.UserQuery, batch: int = 2000,
                fmt: str = tables.EXCEL_FR) -> Iterator[str]:
    """The users list as CSV, every page, streamed by batches of users (keyset on the id). The
    generator runs after the view has returned: each batch opens its own application context."""
    writer = tables.Writer(fmt)
    yield writer.row(["first_name", "last_name", "email", "status", "admin_role", "package", "location",
                      "number", "extension"])
    last_id = 0
    while True:
        with app.app_context():
            try:
                rows = _export_batch(organization_id, query, last_id, batch)
            finally:
                db.session.remove()
        yield writer.rows(row[1:] for row in rows)
        if len(rows) < batch:
            return
        last_id = rows[-1][0]


class OrganizationGone(LookupError):
    """The organization was deleted while its export or import was running."""


def _organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise OrganizationGone(organization_id)
    return organization


def _export_batch(organization_id: int, query: users.UserQuery, after_id: int, batch: int) -> list:  # type: ignore[type-arg]
    organization = _organization(organization_id)
    statement = users._filtered(
        organization, query,
        select(User.id, User.first_name, User.last_name, User.email, User.status, User.admin_role, Package.code,
               Location.name, PhoneNumber.e164, User.extension)
        .outerjoin(Package, Package.id == User.package_id)
        .outerjoin(Location, Location.id == User.location_id)
        .outerjoin(PhoneNumber, PhoneNumber.user_id == User.id),
    ).where(User.id > after_id).order_by(User.id).limit(batch)
    return list(db.session.execute(statement).all())


@dataclass
class Checked:
    rows: list[dict[str, str | int | None]]
    problems: list[tuple[int, str]]  # (line, reason)


def check_file(organization: Organization, data: bytes, filename: str = "users.csv") -> Checked:
    """Read and check every row; nothing is created here."""
    try:
        table = tables.read_table(data, filename, MAX_ROWS)
        return _check_table(organization, table)
    except tables.UnreadableFile as exc:
        return Checked([], [(exc.line, exc.message)])


def _check_table(organization: Organization, table: tables.Table) -> Checked:
    missing = [c for c in ("email", "location") if c not in table.fieldnames]
    if missing:
        return Checked([], [(1, _("Missing columns: %(columns)s.", columns=", ".join(missing)))])
    locations = {loc.name.lower(): loc for loc in db.session.scalars(
        select(Location).where(Location.organization_id == organization.id))}
    packages = {}
    for package in db.session.scalars(select(Package)):
        packages[package.code.lower()] = packages[package.name.lower()] = package
    existing_emails = set(db.session.scalars(select(User.email)))
    taken_extensions = set(db.session.scalars(select(User.extension).where(
        User.organization_id == organization.id, User.extension.is_not(None))))
    numbers = {e164: (loc_id, holder) for e164, loc_id, holder in db.session.execute(
        select(PhoneNumber.e164, PhoneNumber.location_id, PhoneNumber.user_id)
        .join(Location).where(Location.organization_id == organization.id))}
    rows: list[dict[str, str | int | None]] = []
    problems: list[tuple[int, str]] = []
    for count, (line, raw) in enumerate(table.rows, start=1):
        if count > MAX_ROWS:
            problems.append((line, _("At most %(count)d rows per file.", count=MAX_ROWS)))
            break
        get = {c: tables.strip_formula_guard((raw.get(c) or "").strip()) for c in COLUMNS}
        reason = _check_row(get, locations, packages, existing_emails, taken_extensions, numbers)
        if reason:
            problems.append((line, reason))
            continue
        rows.append({"line": line, **get})
    if not rows and not problems:
        problems.append((1, _("The file has no rows.")))
    return Checked(rows, problems)


def _check_row(row, locations, packages, existing_emails, taken_extensions, numbers) -> str | None:  # type: ignore[no-untyped-def]
    try:
        row["email"] = normalise_email(row["email"])
    except InvalidEmail as exc:
        return str(exc)
    if row["email"] in existing_emails:
        return _("A user with the address %(email)s already exists.", email=row["email"])
    location = locations.get(row["location"].lower())
    if location is None:
        return _("Unknown location “%(name)s”.", name=row["location"])
    row["location"] = location.id
    if row["package"]:
        package = packages.get(row["package"].lower())
        if package is None:
            return _("Unknown package “%(name)s”.", name=row["package"])
        row["package"] = package.id
    if not row["number"] and not row["extension"]:
        return _("Give at least a phone number or an extension.")
    if row["number"]:
        try:
            row["number"] = parse_number(row["number"], location.country)
        except InvalidPhoneNumber:
            return _("“%(number)s” is not a valid phone number.", number=row["number"])
        found = numbers.get(row["number"])
        if found is None or found[0] != location.id:
            return _("The number must belong to the chosen location.")
        if found[1] is not None:
            return _("%(number)s is already assigned.", number=row["number"])
        numbers[row["number"]] = (location.id, -1)  # taken by this file from now on
    if row["extension"]:
        if not is_extension(row["extension"]):
            return _("An extension has 2 to 10 digits.")
        if row["extension"] in taken_extensions:
            return _("Extension %(extension)s is already used.", extension=row["extension"])
        taken_extensions.add(row["extension"])
    existing_emails.add(row["email"])
    return None


def start_import(organization: Organization, checked: Checked) -> AdminJob:
    job = jobs.create_job(organization.id, JobKind.IMPORT, checked.rows, current_user.id)
    audit.record(organization, "users.imported", organization.name, {"count": len(checked.rows)})
    return job


@jobs.handler(JobKind.IMPORT)
def _import_chunk(job: AdminJob, rows: list[dict], start: int) -> list[list]:  # type: ignore[type-arg]
    organization = _organization(job.organization_id)
    try:
        with db.session.begin_nested():
            user_ids, failures = bulk.create_checked_users(organization, rows)
    except IntegrityError:
        # Someone took an address or extension between our check and our insert: go row by row.
        return _import_one_by_one(organization, rows)
    if user_ids and organization.activation_emails == ActivationEmails.AUTOMATIC.value:
        # Their activation emails follow in a job of their own, committed with these users.
        jobs.create_job(organization.id, JobKind.INVITATIONS, user_ids, job.created_by_id, parent=job)
    return failures


def _import_one_by_one(organization: Organization, rows: list[dict]) -> list[list]:  # type: ignore[type-arg]
    automatic = organization.activation_emails == ActivationEmails.AUTOMATIC.value
    failures: list[list] = []  # type: ignore[type-arg]
    for row in rows:
        # A savepoint per row: a row that lost a race since the check fails alone.
        try:
            with db.session.begin_nested():
                number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == row["number"])) \
                    if row["number"] else None
                user = provisioning.create_user(
                    organization, row["email"], first_name=row["first_name"], last_name=row["last_name"],
                    package=db.session.get(Package, row["package"]) if row["package"] else None,
                    location=db.session.get(Location, row["location"]), phone_number=number,
                    extension=row["extension"] or None)
                if automatic:
                    send_invitation(user)
        except provisioning.ProvisioningError as exc:
            failures.append([row["line"], exc.message])
        except IntegrityError:
            failures.append([row["line"], _("The address or the extension was taken meanwhile.")])
    return failures
