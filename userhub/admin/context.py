"""The organization an administrator works in, and loading objects only from it.

An ordinary administrator works in their own organization. A partner (wholesale) administrator
manages several customer organizations and picks one first; the choice lives in the session and is
checked against the partner table on every request.

``current_organization()`` is the one way admin code learns which organization it works in; the admin
modules never read ``current_user.organization`` (or ``_id``) themselves, which for a partner is the wrong
one (tests/security/test_organization_scope.py checks it). ``home_organization()`` names the
administrator's own organization for the one page that needs it, the choice of site.
"""

from __future__ import annotations

from typing import TypeVar

from flask import abort, request, session
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..organizations.models import Location, Organization, PhoneNumber
from ..security.bounds import query_int
from . import users as user_service
from .models import AdminJob, PartnerOrganization

SESSION_KEY = "admin_organization_id"
T = TypeVar("T")

# Who may do what. An empty tuple for admin_required means "any administrator".
CHANGE_USERS = ("full", "user")  # users, numbers, invitations, imports
FULL_ONLY = ("full",)  # locations and organization settings
READ_AUDIT = ("full", "read_only")  # audit log and billing


class OrganizationNotChosen(Exception):
    """A partner administrator has not yet chosen the organization to work in."""


def managed_organizations(user: User) -> list[Organization]:
    return list(
        db.session.scalars(
            select(Organization)
            .join(PartnerOrganization, PartnerOrganization.organization_id == Organization.id)
            .where(PartnerOrganization.user_id == user.id)
            .order_by(Organization.name)
        )
    )


def is_partner(user: User) -> bool:
    return bool(db.session.scalar(select(PartnerOrganization.id).where(PartnerOrganization.user_id == user.id)))


def may_manage(user: User, organization_id: int) -> bool:
    if organization_id == user.organization_id:
        return True
    return bool(
        db.session.scalar(
            select(PartnerOrganization.id).where(
                PartnerOrganization.user_id == user.id, PartnerOrganization.organization_id == organization_id
            )
        )
    )


def choose_organization(user: User, organization_id: int) -> Organization:
    if not may_manage(user, organization_id):
        abort(404)
    session[SESSION_KEY] = organization_id
    return db.get_or_404(Organization, organization_id)


def current_organization() -> Organization:
    """The organization of this request; partners must have chosen one (else OrganizationNotChosen)."""
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, int) and may_manage(current_user, chosen):
        organization = db.session.get(Organization, chosen)
        if organization is not None:
            return organization
    if is_partner(current_user):
        raise OrganizationNotChosen()
    return current_user.organization


def home_organization() -> Organization:
    """The signed-in administrator's own organization (not necessarily the one being administered)."""
    return current_user.organization


def own_user(user_id: int) -> User:
    """A user of the current organization, or 404 (never reveal another organization's ids)."""
    user = db.session.get(User, user_id)
    if user is None or user.organization_id != current_organization().id:
        abort(404)
    return user


def own_location(location_id: int) -> Location:
    location = db.session.get(Location, location_id)
    if location is None or location.organization_id != current_organization().id:
        abort(404)
    return location


def own_number(number_id: int) -> PhoneNumber:
    number = db.session.get(PhoneNumber, number_id)
    if number is None or number.location.organization_id != current_organization().id:
        abort(404)
    return number


def own_job(job_id: int) -> AdminJob:
    job = db.session.get(AdminJob, job_id)
    if job is None or job.organization_id != current_organization().id:
        abort(404)
    return job


def user_query_from_args() -> user_service.UserQuery:
    """The users list's search, filters, sort and page from the query string (the list and its CSV export)."""
    args = request.args
    return user_service.UserQuery(
        search=args.get("q", "")[:100],
        location_id=args.get("location", type=query_int),
        status=args.get("status", ""),
        sort=args.get("sort", "name") if args.get("sort") in user_service.SORTS else "name",
        after=args.get("after", "")[:500],
        before=args.get("before", "")[:500],
        last=args.get("last") == "1",
        page=max(args.get("page", 0, type=query_int) or 0, 0),
        # Only the sizes offered; anything else (a typo, "10000") gets the default size.
        page_size=size if (size := args.get("size", type=query_int)) in user_service.PAGE_SIZES
        else user_service.PAGE_SIZE,
    )
