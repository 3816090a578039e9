"""Creating many checked users at once (CSV import): a few set-based statements per chunk.

The rows were checked when the file was uploaded; the chunk checks again in bulk what may have
changed since (addresses, extensions, numbers taken meanwhile). On PostgreSQL the chosen numbers
are locked (SELECT ... FOR UPDATE) so that no other request can take them before the chunk commits;
SQLite serializes writers. The unique constraints remain the last word: on IntegrityError the
caller falls back to creating the rows one by one.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from ..accounts.models import User
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Location, Organization, PhoneNumber
from ..timeutil import utcnow
from .models import PackageAssignment


def create_checked_users(organization: Organization, rows: list[dict]) -> tuple[list[int], list[list]]:  # type: ignore[type-arg]
    """Insert the rows that are still valid; returns (new user ids, failures [line, reason])."""
    failures: list[list] = []  # type: ignore[type-arg]
    emails = [r["email"] for r in rows]
    taken_emails = set(db.session.scalars(select(User.email).where(User.email.in_(emails))))
    extensions = [r["extension"] for r in rows if r["extension"]]
    taken_extensions = set(db.session.scalars(select(User.extension).where(
        User.organization_id == organization.id, User.extension.in_(extensions)))) if extensions else set()
    wanted = [r["number"] for r in rows if r["number"]]
    free = dict(db.session.execute(
        select(PhoneNumber.e164, PhoneNumber.id)
        .join(Location, Location.id == PhoneNumber.location_id)
        .where(PhoneNumber.e164.in_(wanted), PhoneNumber.user_id.is_(None), Location.organization_id == organization.id)
        .with_for_update(of=PhoneNumber)
    ).all()) if wanted else {}
    kept = []
    for row in rows:
        if row["email"] in taken_emails:
            failures.append([row["line"], _("A user with the address %(email)s already exists.", email=row["email"])])
        elif row["extension"] and row["extension"] in taken_extensions:
            failures.append([row["line"], _("Extension %(extension)s is already used.", extension=row["extension"])])
        elif row["number"] and row["number"] not in free:
            failures.append([row["line"], _("%(number)s is already assigned.", number=row["number"])])
        else:
            kept.append(row)
    if not kept:
        return [], failures
    now = utcnow()
    created = db.session.execute(
        insert(User).returning(User.id, User.email, sort_by_parameter_order=True),
        [{"organization_id": organization.id, "email": r["email"], "first_name": r["first_name"][:100],
          "last_name": r["last_name"][:100], "display_name": "", "status": "invited",
          "package_id": r["package"] or None, "location_id": r["location"], "extension": r["extension"] or None,
          "created_at": now} for r in kept],
    ).all()
    ids = {email: user_id for user_id, email in created}
    numbered = [{"id": free[r["number"]], "user_id": ids[r["email"]]} for r in kept if r["number"]]
    if numbered:
        db.session.execute(update(PhoneNumber), numbered)  # bulk UPDATE by primary key
    # Billing history: the session listener does not see bulk inserts.
    history = [{"organization_id": organization.id, "user_id": ids[r["email"]], "user_email": r["email"],
                "user_name": " ".join(p for p in (r["first_name"], r["last_name"]) if p)[:201],
                "package_id": r["package"], "started_at": now} for r in kept if r["package"]]
    if history:
        db.session.execute(insert(PackageAssignment), history)
    return [ids[r["email"]] for r in kept], failures
