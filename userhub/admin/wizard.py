"""The three-step "Ajouter des utilisateurs" wizard: rules of each step and the all-or-nothing batch.

The wizard keeps no server state: every step posts all the rows back (hidden fields), so a closed
browser leaves nothing behind, and users are created only by the last step, in one transaction.
Two administrators picking the same number or extension: the database (conditional UPDATE of the
number, unique extension per organization) lets exactly one win; the other gets the row's error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..accounts import provisioning
from ..accounts.emails import InvalidEmail, normalise_email
from ..accounts.models import AccountToken, TokenPurpose, User
from ..accounts.services import send_invitation
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import ActivationEmails, Location, Organization, Package, PhoneNumber
from ..phones import format_number
from . import audit

MAX_ROWS = 50
MODES = ("names", "email")  # "Noms et adresses électroniques", "Adresse électronique"
FIELDS = ("first_name", "last_name", "email", "package", "location", "number", "extension")


@dataclass
class Row:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    package: str = ""
    location: str = ""
    number: str = ""
    extension: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def is_blank(self) -> bool:
        return not (self.first_name or self.last_name or self.email)


def parse_rows(form: MultiDict[str, str]) -> list[Row]:
    """Rows posted as ``email-0``, ``number-0``...; blank rows are dropped (except a lone first one)."""
    indexes = sorted({int(k.rpartition("-")[2]) for k in form if k.startswith("email-") and
                      k.rpartition("-")[2].isdigit()})[:MAX_ROWS]
    # FIELDS are Row's str fields; mypy cannot tell them from ``errors`` in a ** of str values
    rows = [Row(**{name: form.get(f"{name}-{i}", "").strip()[:254] for name in FIELDS})  # type: ignore[arg-type]
            for i in indexes]
    kept = [row for row in rows if not row.is_blank()]
    return kept or [Row()]


def check_people(organization: Organization, rows: list[Row], mode: str) -> bool:
    """Step 1: addresses valid and unique (in the batch and in the product), a package each."""
    package_ids = {str(p) for p in db.session.scalars(select(Package.id))}
    seen: dict[str, int] = {}
    for row in rows:
        row.errors.clear()
        if mode == "email":
            row.first_name = row.last_name = ""
        try:
            row.email = normalise_email(row.email)
        except InvalidEmail as exc:
            row.errors["email"] = str(exc)
        else:
            if row.email in seen:
                row.errors["email"] = _("This address appears twice in the list.")
            seen.setdefault(row.email, 0)
        if row.package not in package_ids:
            row.errors["package"] = _("Choose a package.")
    existing = set(db.session.scalars(select(User.email).where(User.email.in_(list(seen)))))
    for row in rows:
        if "email" not in row.errors and row.email in existing:
            row.errors["email"] = _("A user with the address %(email)s already exists.", email=row.email)
    return not any(row.errors for row in rows)


def check_numbers(organization: Organization, rows: list[Row]) -> bool:
    """Step 2: a location each, a free number of that location and/or a free extension, no repeats."""
    locations = {str(loc.id): loc for loc in db.session.scalars(
        select(Location).where(Location.organization_id == organization.id))}
    numbers_seen: set[str] = set()
    extensions_seen: set[str] = set()
    taken_numbers = set(db.session.scalars(select(PhoneNumber.e164).where(
        PhoneNumber.e164.in_({row.number for row in rows if row.number}), PhoneNumber.user_id.is_not(None))))
    for row in rows:
        for key in ("location", "number", "extension"):
            row.errors.pop(key, None)
        location = locations.get(row.location)
        if location is None:
            row.errors["location"] = _("Choose a location.")
        if not row.number and not row.extension:
            row.errors["extension"] = _("Give at least a phone number or an extension.")
        if row.number:
            number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == row.number))
            if number is None or location is None or number.location_id != location.id:
                row.errors["number"] = _("The number must belong to the chosen location.")
            elif row.number in taken_numbers:  # another administrator gave it away since step 2 was shown
                row.errors["number"] = _("%(number)s has just been taken. Choose another number.",
                                         number=format_number(row.number, location.country))
            elif row.number in numbers_seen:  # the same batch chose it for an earlier row: that row keeps it
                row.errors["number"] = _("%(number)s appears twice.", number=format_number(row.number, location.country))
            numbers_seen.add(row.number)
        if row.extension:
            try:
                row.extension = provisioning.check_extension(organization, row.extension)
            except provisioning.ProvisioningError as exc:
                row.errors["extension"] = exc.message
            else:
                if row.extension in extensions_seen:
                    row.errors["extension"] = _("Extension %(extension)s is already used.", extension=row.extension)
            extensions_seen.add(row.extension)
    return not any(row.errors for row in rows)


def create_batch(organization: Organization, rows: list[Row], mode: str) -> list[User] | None:
    """Check both steps again and create every user, or none (rows then carry the errors)."""
    if not (check_people(organization, rows, mode) & check_numbers(organization, rows)):
        return None
    created: list[User] = []
    current: Row | None = None
    try:
        with db.session.begin_nested():  # all or nothing, and only this batch is undone on a refusal
            for row in rows:
                current = row
                number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == row.number)) \
                    if row.number else None
                created.append(provisioning.create_user(
                    organization, row.email, first_name=row.first_name, last_name=row.last_name,
                    package=db.session.get(Package, int(row.package)),
                    location=db.session.get(Location, int(row.location)),
                    phone_number=number, extension=row.extension or None,
                ))
            if organization.activation_emails == ActivationEmails.AUTOMATIC.value:
                for user in created:
                    send_invitation(user)
            for user in created:
                audit.record(organization, "user.created", user.email, line_params(user))
    except provisioning.ProvisioningError as exc:
        if current is None:  # not about any row (the loop had not started): nothing to show on the form
            raise
        current.errors[_field_of(exc.field)] = exc.message
        return None
    except IntegrityError:
        # Another administrator committed the same address or extension between our check and insert.
        check_people(organization, rows, mode)
        check_numbers(organization, rows)
        if not any(row.errors for row in rows) and current is not None:
            current.errors["extension"] = _("Extension %(extension)s is already used.", extension=current.extension)
        return None
    return created


def _field_of(provisioning_field: str) -> str:
    return {"phone_number": "number"}.get(provisioning_field, provisioning_field)


def line_params(user: User) -> dict[str, str | None]:
    """A user's line as the audit log records it (audit.describe writes it as a sentence)."""
    return {"number": user.phone_number.e164 if user.phone_number else None, "extension": user.extension}


def proposed_extensions(organization: Organization, numbers: Iterable[str]) -> dict[str, str]:
    """The guide's recommendation for each number: its last four digits as the extension, when no user
    of the organization has that extension yet (numbers without such a proposal are left out)."""
    candidates = {number: number[-4:] for number in numbers if number[-4:].isdigit() and len(number) >= 4}
    taken = set(db.session.scalars(select(User.extension).where(
        User.organization_id == organization.id, User.extension.in_(set(candidates.values())))))
    return {number: extension for number, extension in candidates.items() if extension not in taken}


@dataclass(frozen=True)
class Added:
    """One line of step 3: who was added, with which number and extension, and whether an invitation went out."""

    name: str
    email: str
    number: str
    extension: str
    invited: bool


def added_summary(organization: Organization, user_ids: Iterable[int]) -> list[Added]:
    """Step 3's list for the users just created (ids of other organizations are ignored). "Invited" means an
    activation email was queued for the user: the batch issues one only in automatic activation-email mode."""
    ids = list(dict.fromkeys(user_ids))[:MAX_ROWS]
    users = db.session.scalars(select(User).where(User.id.in_(ids), User.organization_id == organization.id)
                               .order_by(User.id)).all()
    invited = set(db.session.scalars(select(AccountToken.user_id).where(
        AccountToken.user_id.in_(ids), AccountToken.purpose == TokenPurpose.ACTIVATION.value)))
    return [Added(name=" ".join(part for part in (user.first_name, user.last_name) if part), email=user.email,
                  number=format_number(user.phone_number.e164, user.location.country if user.location else None)
                  if user.phone_number else "",
                  extension=user.extension or "", invited=user.id in invited) for user in users]
