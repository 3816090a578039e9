"""Feature access (reference section 22): which features a user may change. The organization sets a
default per feature, a user override wins over it, and without any row a feature is open."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, bindparam, delete, or_, select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from .models import CallingFeatureAccess

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..organizations.models import Organization

# Keys of the reference; several features may share one (executive and executive assistant).
ACCESS_KEYS: dict[str, object] = {
    "doNotDisturb": _l("Do Not Disturb"),
    "callForwarding": _l("Call Forwarding"),
    "callWaiting": _l("Call Waiting"),
    "anonymousCallRejection": _l("Anonymous Call Rejection"),
    "callNotify": _l("Call Notify"),
    "singleNumberReach": _l("Single Number Reach"),
    "simultaneousRing": _l("Simultaneous Ring"),
    "sequentialRing": _l("Sequential Ring"),
    "selectivelyAcceptCalls": _l("Selective Call Acceptance"),
    "selectivelyRejectCalls": _l("Selective Call Rejection"),
    "selectivelyForwardCalls": _l("Selective Call Forwarding"),
    "priorityAlert": _l("Priority Alert"),
    "bargeIn": _l("Barge-in"),
    "blockCallerId": _l("Block caller ID for forwarded calls"),
    "hoteling": _l("Hoteling"),
    "executive": _l("Executive and Executive Assistant"),
}


@cache
def _rights_query() -> Select[Any]:
    """Built once, with bound parameters (see ``services._snapshot_query``)."""
    return select(CallingFeatureAccess).where(
        CallingFeatureAccess.organization_id == bindparam("organization_id"),
        or_(CallingFeatureAccess.user_id.is_(None), CallingFeatureAccess.user_id == bindparam("user_id")),
    )


def rights(user: User) -> dict[str, bool]:
    """Every access key the organization or the user has a row for (one query)."""
    rows = db.session.scalars(_rights_query(), {"organization_id": user.organization_id, "user_id": user.id}).all()
    result = {row.feature: row.allowed for row in rows if row.user_id is None}
    result.update({row.feature: row.allowed for row in rows if row.user_id is not None})
    return result


def allowed(user: User, key: str) -> bool:
    return rights(user).get(key, True)


def organization_defaults(organization: Organization) -> dict[str, bool]:
    rows = db.session.scalars(select(CallingFeatureAccess).where(
        CallingFeatureAccess.organization_id == organization.id, CallingFeatureAccess.user_id.is_(None)))
    found = {row.feature: row.allowed for row in rows}
    return {key: found.get(key, True) for key in ACCESS_KEYS}


def user_overrides(user: User) -> dict[str, bool]:
    rows = db.session.scalars(select(CallingFeatureAccess).where(CallingFeatureAccess.user_id == user.id))
    return {row.feature: row.allowed for row in rows}


def set_organization_defaults(organization: Organization, choices: dict[str, bool]) -> None:
    db.session.execute(delete(CallingFeatureAccess).where(
        CallingFeatureAccess.organization_id == organization.id, CallingFeatureAccess.user_id.is_(None)))
    db.session.add_all(CallingFeatureAccess(organization_id=organization.id, feature=key, allowed=value)
                       for key, value in choices.items() if key in ACCESS_KEYS)


def set_user_overrides(user: User, choices: dict[str, bool | None]) -> None:
    """``None`` for a key means "as the organization"."""
    db.session.execute(delete(CallingFeatureAccess).where(CallingFeatureAccess.user_id == user.id))
    db.session.add_all(
        CallingFeatureAccess(organization_id=user.organization_id, user_id=user.id, feature=key, allowed=value)
        for key, value in choices.items() if key in ACCESS_KEYS and value is not None
    )
