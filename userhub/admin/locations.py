"""Locations and their number pools, as the administrator sees them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..accounts.models import User
from ..extensions import db
from ..i18n import gettext as _
from ..organizations import services as org_services
from ..organizations.models import Location, Organization, PhoneNumber
from ..phones import InvalidPhoneNumber, number_range
from . import audit


@dataclass
class LocationSummary:
    location: Location
    numbers: int
    free: int


def summaries(organization: Organization) -> list[LocationSummary]:
    """Every location with its count of numbers and free numbers, in one query."""
    free = func.count(PhoneNumber.id) - func.count(PhoneNumber.user_id)
    rows = db.session.execute(
        select(Location, func.count(PhoneNumber.id), free)
        .outerjoin(PhoneNumber, PhoneNumber.location_id == Location.id)
        .where(Location.organization_id == organization.id)
        .group_by(Location.id)
        .order_by(Location.name)
    ).all()
    return [LocationSummary(location, total, available) for location, total, available in rows]


def numbers_with_holders(location: Location) -> list[tuple[PhoneNumber, User | None]]:
    rows = db.session.execute(
        select(PhoneNumber, User)
        .outerjoin(User, User.id == PhoneNumber.user_id)
        .where(PhoneNumber.location_id == location.id)
        .order_by(PhoneNumber.e164)
    ).all()
    return [(number, holder) for number, holder in rows]


def create_location(organization: Organization, name: str, country: str, time_zone: str) -> Location:
    location = org_services.create_location(organization, name, country, time_zone)
    audit.record(organization, "location.created", location.name, {"country": location.country, "time_zone": location.time_zone})
    return location


def add_numbers(location: Location, first: str, last: str = "") -> list[PhoneNumber]:
    """Add one number, or every number from ``first`` to ``last``; all or nothing."""
    if last.strip():
        try:
            texts = number_range(first, last, location.country)
        except InvalidPhoneNumber:
            raise org_services.OrganizationError(
                _("This range is not valid: give two numbers of the same country and length, "
                  "the first one lower, at most 10,000 numbers.")
            ) from None
    else:
        texts = [first]
    rows = org_services.add_numbers(location, texts)
    audit.record(location.organization, "numbers.added", location.name,
                 {"count": len(rows), "first": rows[0].e164, "last": rows[-1].e164})
    return rows


def free_numbers_by_location(organization: Organization) -> dict[int, list[str]]:
    """Free numbers of every location (E.164), for the number menus of the wizard and the user page."""
    rows = db.session.execute(
        select(PhoneNumber.location_id, PhoneNumber.e164)
        .join(Location, Location.id == PhoneNumber.location_id)
        .where(Location.organization_id == organization.id, PhoneNumber.user_id.is_(None))
        .order_by(PhoneNumber.e164)
    ).all()
    result: dict[int, list[str]] = {}
    for location_id, e164 in rows:
        result.setdefault(location_id, []).append(e164)
    return result
