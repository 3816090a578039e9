"""The users list (search, filters, sort, pages) and changes made on a user's page.

The list costs two statements whatever the size of the organization: one count and one page of rows
(users joined to their location and number), ordered on indexed columns with LIMIT/OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..accounts import provisioning
from ..accounts.models import User, UserStatus
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Location, Organization, Package, PhoneNumber
from . import audit

PAGE_SIZE = 50
SORTS = {
    "name": (User.last_name, User.first_name, User.id),
    "email": (User.email,),
    "status": (User.status, User.last_name, User.first_name, User.id),
}


@dataclass
class UserQuery:
    search: str = ""
    location_id: int | None = None
    status: str = ""
    sort: str = "name"
    page: int = 1


@dataclass
class UserRow:
    id: int
    name: str
    email: str
    status: str
    admin_role: str | None
    location: str | None
    number: str | None
    extension: str | None


@dataclass
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    pages: int
    query: UserQuery = field(default_factory=UserQuery)


def _filtered(organization: Organization, query: UserQuery, statement: Select) -> Select:  # type: ignore[type-arg]
    statement = statement.where(User.organization_id == organization.id)
    text = query.search.strip().lower()
    if text:
        # Prefix search as ranges [text, text + U+10FFFF): each one can use an index (email's unique
        # index, the lower(name) indexes of this area), on SQLite and PostgreSQL alike.
        end = text + "\U0010ffff"
        statement = statement.where(
            or_(
                and_(User.email >= text, User.email < end),
                and_(func.lower(User.first_name) >= text, func.lower(User.first_name) < end),
                and_(func.lower(User.last_name) >= text, func.lower(User.last_name) < end),
            )
        )
    if query.location_id:
        statement = statement.where(User.location_id == query.location_id)
    if query.status in (UserStatus.INVITED.value, UserStatus.ACTIVE.value):
        statement = statement.where(User.status == query.status)
    return statement


def list_users(organization: Organization, query: UserQuery, page_size: int = PAGE_SIZE) -> UserPage:
    total = db.session.scalar(_filtered(organization, query, select(func.count(User.id)))) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(query.page, 1), pages)
    order = SORTS.get(query.sort, SORTS["name"])
    # The page's ids first, from the indexes alone (a deep OFFSET then skips index entries, not joined
    # rows); then the 50 rows with their location and number.
    page_ids = (_filtered(organization, query, select(User.id)).order_by(*order)
                .limit(page_size).offset((page - 1) * page_size).scalar_subquery())
    statement = (
        select(User.id, User.first_name, User.last_name, User.email, User.status, User.admin_role,
               Location.name, PhoneNumber.e164, User.extension)
        .outerjoin(Location, Location.id == User.location_id)
        .outerjoin(PhoneNumber, PhoneNumber.user_id == User.id)
        .where(User.id.in_(page_ids))
        .order_by(*order)
    )
    rows = db.session.execute(statement).all()
    return UserPage(
        [UserRow(r[0], " ".join(p for p in (r[1], r[2]) if p), r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows],
        total, page, pages, query,
    )


def locations(organization: Organization) -> list[Location]:
    return list(db.session.scalars(select(Location).where(Location.organization_id == organization.id)
                                   .order_by(Location.name)))


def packages() -> list[Package]:
    return list(db.session.scalars(select(Package).order_by(Package.name)))


def update_calling(user: User, *, package_id: int | None, location_id: int | None, number: str,
                   extension: str) -> None:
    """Change package, location, number and extension with the wizard's rules; all or nothing.
    Raises ProvisioningError (field, message); the caller rolls back."""
    organization = user.organization
    location = db.session.get(Location, location_id) if location_id else None
    if location is None or location.organization_id != organization.id:
        raise provisioning.ProvisioningError("location", _("Choose a location."))
    package = db.session.get(Package, package_id) if package_id else None
    if package_id and package is None:
        raise provisioning.ProvisioningError("package", _("Choose a package."))
    extension = extension.strip()
    if not number and not extension:
        raise provisioning.ProvisioningError("extension", _("Give at least a phone number or an extension."))
    before = (user.package_id, user.location_id, user.phone_number.e164 if user.phone_number else None,
              user.extension)
    if extension:
        extension = provisioning.check_extension(organization, extension, ignore_user=user)
    chosen = None
    if number:
        chosen = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == number))
        if chosen is None or chosen.location_id != location.id:
            raise provisioning.ProvisioningError("phone_number", _("The number must belong to the chosen location."))
    user.package_id = package.id if package else None
    user.location_id = location.id
    user.extension = extension or None
    current = user.phone_number
    if current is None or chosen is None or current.id != chosen.id:
        provisioning.release_number(user)
        if chosen is not None:
            provisioning.assign_number(user, chosen)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise provisioning.ProvisioningError(
            "extension", _("Extension %(extension)s is already used.", extension=extension)
        ) from None
    after = (user.package_id, user.location_id, number or None, user.extension)
    audit.record(organization, "user.changed", user.email, f"{before} -> {after}")
