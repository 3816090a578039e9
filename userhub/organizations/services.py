"""Organizations, locations and their number pools."""

from __future__ import annotations

from zoneinfo import available_timezones

import phonenumbers
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from ..i18n import gettext as _
from ..phones import InvalidPhoneNumber, parse_number
from .models import Location, Organization, Package, PhoneNumber, name_key


class OrganizationError(DomainError, ValueError):
    """A change refused for a reason the person can act on (the message is translated)."""


def create_organization(name: str, site_url: str = "") -> Organization:
    name = name.strip()
    if not name or len(name) > 120:
        raise OrganizationError(_("The organization name must have between 1 and 120 characters."))
    key = name_key(name)
    taken = _("An organization named “%(name)s” already exists.", name=name)
    if db.session.scalar(select(Organization.id).where(Organization.name_key == key)) is not None:
        raise OrganizationError(taken)
    organization = Organization(name=name, name_key=key, site_url=site_url.strip())
    try:
        with db.session.begin_nested():  # another process may have taken the name since the check
            db.session.add(organization)
    except IntegrityError:
        raise OrganizationError(taken) from None
    return organization


def ensure_package(code: str, name: str) -> Package:
    package = db.session.scalar(select(Package).where(Package.code == code))
    if package is None:
        package = Package(code=code, name=name)
        db.session.add(package)
        db.session.flush()
    return package


def create_location(organization: Organization, name: str, country: str, time_zone: str) -> Location:
    name, country = name.strip(), country.strip().upper()
    if not name or len(name) > 80:
        raise OrganizationError(_("The location name must have between 1 and 80 characters."))
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise OrganizationError(_("“%(country)s” is not a known country code.", country=country))
    if time_zone not in available_timezones():
        raise OrganizationError(_("“%(zone)s” is not a known time zone.", zone=time_zone))
    exists = db.session.scalar(
        select(Location.id).where(Location.organization_id == organization.id, Location.name == name)
    )
    taken = _("A location named “%(name)s” already exists.", name=name)
    if exists:
        raise OrganizationError(taken)
    location = Location(organization_id=organization.id, name=name, country=country, time_zone=time_zone)
    try:
        with db.session.begin_nested():  # another administrator may have taken the name since the check
            db.session.add(location)
    except IntegrityError:
        raise OrganizationError(taken) from None
    return location


def add_numbers(location: Location, numbers: list[str]) -> list[PhoneNumber]:
    """Add numbers (any common spelling) to the location's pool; refuse the whole batch on any error."""
    parsed: list[str] = []
    for text in numbers:
        try:
            parsed.append(parse_number(text, location.country))
        except InvalidPhoneNumber:
            raise OrganizationError(_("“%(number)s” is not a valid phone number.", number=text)) from None
    duplicates = sorted({n for n in parsed if parsed.count(n) > 1})
    if duplicates:
        raise OrganizationError(_("%(number)s appears twice.", number=duplicates[0]))
    taken = db.session.scalars(select(PhoneNumber.e164).where(PhoneNumber.e164.in_(parsed))).all()
    if taken:
        raise OrganizationError(_("%(number)s already belongs to a location.", number=sorted(taken)[0]))
    rows = [PhoneNumber(location_id=location.id, e164=n) for n in parsed]
    try:
        with db.session.begin_nested():  # another administrator may have added one of them since the check
            db.session.add_all(rows)
    except IntegrityError:
        raced = db.session.scalars(select(PhoneNumber.e164).where(PhoneNumber.e164.in_(parsed))).all()
        number = sorted(raced)[0] if raced else parsed[0]
        raise OrganizationError(_("%(number)s already belongs to a location.", number=number)) from None
    return rows


def free_numbers(location: Location) -> list[PhoneNumber]:
    return list(
        db.session.scalars(
            select(PhoneNumber)
            .where(PhoneNumber.location_id == location.id, PhoneNumber.user_id.is_(None))
            .order_by(PhoneNumber.e164)
        )
    )
