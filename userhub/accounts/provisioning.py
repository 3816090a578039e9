"""Creating users and giving them numbers and extensions, with the rules of the guide.

Uniqueness (email, number, extension within an organization) is enforced by the database;
these functions check first to give a clear message, and the constraints settle races.
"""

from __future__ import annotations

from sqlalchemy import select, update

from ..errors import DomainError
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Location, Organization, Package, PhoneNumber
from ..phones import is_extension
from .emails import InvalidEmail, normalise_email
from .models import AdminRole, User



class ProvisioningError(DomainError, ValueError):
    """A refused change, with the field it concerns and a translated message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.field = field
        self.message = message


def check_extension(organization: Organization, extension: str, ignore_user: User | None = None) -> str:
    extension = extension.strip()
    if not is_extension(extension):
        raise ProvisioningError("extension", _("An extension has 2 to 10 digits."))
    query = select(User.id).where(User.organization_id == organization.id, User.extension == extension)
    if ignore_user is not None:
        query = query.where(User.id != ignore_user.id)
    if db.session.scalar(query):
        raise ProvisioningError("extension", _("Extension %(extension)s is already used.", extension=extension))
    return extension


def assign_number(user: User, number: PhoneNumber) -> None:
    """Give a free number to the user. Atomic: of two requests for the same number, one wins."""
    if number.location.organization_id != user.organization_id:
        raise ProvisioningError("phone_number", _("This number does not belong to your organization."))
    result = db.session.execute(
        update(PhoneNumber)
        .where(PhoneNumber.id == number.id, PhoneNumber.user_id.is_(None))
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE/DELETE returns a CursorResult
        raise ProvisioningError(
            "phone_number", _("%(number)s has just been taken. Choose another number.", number=number.e164)
        )
    db.session.refresh(number)


def release_number(user: User) -> None:
    db.session.execute(update(PhoneNumber).where(PhoneNumber.user_id == user.id).values(user_id=None))


def create_user(
    organization: Organization,
    email: str,
    *,
    first_name: str = "",
    last_name: str = "",
    package: Package | None = None,
    location: Location | None = None,
    phone_number: PhoneNumber | None = None,
    extension: str | None = None,
    admin_role: AdminRole | None = None,
    locale: str | None = None,
) -> User:
    """Add a user (invited, no password) to the session; the caller commits, and queues the invitation."""
    try:
        address = normalise_email(email)
    except InvalidEmail as exc:
        raise ProvisioningError("email", str(exc)) from exc
    if db.session.scalar(select(User.id).where(User.email == address)):
        raise ProvisioningError("email", _("A user with the address %(email)s already exists.", email=address))
    if location is not None and location.organization_id != organization.id:
        raise ProvisioningError("location", _("This location does not belong to your organization."))
    if phone_number is not None and (location is None or phone_number.location_id != location.id):
        raise ProvisioningError("phone_number", _("The number must belong to the chosen location."))
    if extension:
        extension = check_extension(organization, extension)
    user = User(
        organization_id=organization.id,
        email=address,
        first_name=first_name.strip()[:100],
        last_name=last_name.strip()[:100],
        package_id=package.id if package else None,
        location_id=location.id if location else None,
        extension=extension or None,
        admin_role=admin_role.value if admin_role else None,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    if phone_number is not None:
        assign_number(user, phone_number)
    return user
