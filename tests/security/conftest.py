"""A small world for the security sweeps: organization A with an employee and one administrator of each
role, organization B with its own full administrator, a signed-in client for each, and a checksum of
every table to prove that a refused request changed nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from userhub.extensions import db

# Written on every request at most once a minute; not a change a request asks for.
_BOOKKEEPING_COLUMNS = {"last_seen_at"}

PEOPLE = ("anonymous", "employee", "read_only", "user", "full", "other_org_admin")


@dataclass
class World:
    organization: Any
    location: Any
    employee: Any
    admins: dict[str, Any]
    other_organization: Any
    other_admin: Any
    clients: dict[str, Any]
    partner: Any = None  # with the ``partner`` fixture: a full administrator of Initech who manages A
    partner_organization: Any = None

    def role_of(self, person: str) -> str | None:
        return {"employee": None, "anonymous": None, "other_org_admin": "full", "partner": "full"}.get(person, person)

    def account(self, person: str | None) -> Any:
        """The user behind ``person``; the employee for anonymous or nobody in particular."""
        people = {**self.admins, "other_org_admin": self.other_admin, "partner": self.partner}
        return people.get(person or "employee") or self.employee


def database_checksum() -> str:
    """A digest of every row of every table, read on a connection of its own (committed data only)."""
    digest = hashlib.sha256()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in _BOOKKEEPING_COLUMNS]
            order = list(table.primary_key.columns) or columns
            for row in connection.execute(sa.select(*columns).order_by(*order)):
                digest.update(repr((table.name, tuple(row))).encode())
    return digest.hexdigest()


@pytest.fixture
def world(app, organization, make_user) -> World:  # type: ignore[no-untyped-def]
    from userhub.accounts.models import AdminRole
    from userhub.accounts.provisioning import create_user
    from userhub.organizations.services import create_location, create_organization
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    employee = make_user("employee@example.com", first_name="Emma", last_name="Ployee")
    admins = {
        "read_only": make_user("reader@example.com", first_name="Rita", last_name="Reader",
                               admin_role=AdminRole.READ_ONLY),
        "user": make_user("useradmin@example.com", first_name="Ugo", last_name="Useradmin", admin_role=AdminRole.USER),
        "full": make_user("fulladmin@example.com", first_name="Fanny", last_name="Fulladmin", admin_role=AdminRole.FULL),
    }
    other = create_organization("Globex", "https://globex.example.com")
    create_location(other, "Lyon office", "FR", "Europe/Paris")
    other_admin = create_user(other, "boss@globex.example.com", first_name="Otto", last_name="Other",
                              admin_role=AdminRole.FULL)
    other_admin.status, other_admin.activated_at, other_admin.display_name = "active", utcnow(), "Otto Other"
    other_admin.password_hash = hash_password("Violet-Harbour-Kettle-93!")
    db.session.commit()
    clients = {"anonymous": app.test_client()}
    for person, account in [("employee", employee), *admins.items(), ("other_org_admin", other_admin)]:
        client = app.test_client()
        assert sign_in(client, account.email).status_code == 302, f"{person} could not sign in"
        clients[person] = client
    return World(organization, organization.locations[0], employee, admins, other, other_admin, clients)


# --- a partner administrator -----------------------------------------------------------------------------

PARTNER_LOCATION = "Initech Tower"  # appears on a page only if it shows the partner's own organization


@pytest.fixture
def partner(world: World, app) -> World:  # type: ignore[no-untyped-def]
    """The world plus a partner (wholesale) administrator: a full administrator of their own organization,
    Initech, who manages organization A and has chosen it on /admin/organization, as a partner does first."""
    from userhub.accounts.models import AdminRole
    from userhub.accounts.provisioning import create_user
    from userhub.admin.models import PartnerOrganization
    from userhub.organizations.services import create_location, create_organization
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    own = create_organization("Initech", "https://initech.example.com")
    create_location(own, PARTNER_LOCATION, "US", "America/New_York")
    account = create_user(own, "partner@initech.example.com", first_name="Paula", last_name="Partner",
                          admin_role=AdminRole.FULL)
    account.status, account.activated_at, account.display_name = "active", utcnow(), "Paula Partner"
    account.password_hash = hash_password("Violet-Harbour-Kettle-93!")
    db.session.add(PartnerOrganization(user_id=account.id, organization_id=world.organization.id))
    db.session.commit()
    client = app.test_client()
    assert sign_in(client, account.email).status_code == 302, "the partner could not sign in"
    chosen = client.post("/admin/organization", data={"organization": str(world.organization.id)})
    assert chosen.status_code == 302, "the partner could not choose organization A"
    world.clients["partner"] = client
    world.partner, world.partner_organization = account, own
    return world


# Which rows belong to an organization, per table: the organization's own rows, its locations' and its
# people's, and what hangs from those. A table this does not know fails the check, so that a new table is
# placed here the day it appears.
_ORGANIZATION_ROWS = {
    "organizations": "id = :org",
    "outbox_messages": None,  # mail in flight names no organization
    "packages": None,  # shared by every organization
    "sip_servers": None,  # the service provider's SIP proxies, not an organization's
    "users": "organization_id = :org",
    "locations": "organization_id = :org",
    "phone_numbers": "location_id IN (SELECT id FROM locations WHERE organization_id = :org)",
    "schedules": "user_id IN (SELECT id FROM users WHERE organization_id = :org) "
                 "OR location_id IN (SELECT id FROM locations WHERE organization_id = :org)",
    "schedule_events": "schedule_id IN (SELECT id FROM schedules WHERE user_id IN (SELECT id FROM users WHERE "
                       "organization_id = :org) OR location_id IN (SELECT id FROM locations WHERE organization_id = :org))",
    "schedule_exceptions": "event_id IN (SELECT e.id FROM schedule_events e JOIN schedules s ON s.id = e.schedule_id "
                           "WHERE s.user_id IN (SELECT id FROM users WHERE organization_id = :org) "
                           "OR s.location_id IN (SELECT id FROM locations WHERE organization_id = :org))",
    "contact_numbers": "contact_id IN (SELECT c.id FROM contacts c JOIN users u ON u.id = c.user_id "
                       "WHERE u.organization_id = :org)",
    "calling_executive_assistants": "executive_id IN (SELECT id FROM users WHERE organization_id = :org) "
                                    "OR assistant_id IN (SELECT id FROM users WHERE organization_id = :org)",
}


def organization_checksum(organization_id: int) -> str:
    """A digest of every row that belongs to one organization (committed data only)."""
    digest = hashlib.sha256()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            names = {c.name for c in table.columns}
            if table.name in _ORGANIZATION_ROWS:
                where = _ORGANIZATION_ROWS[table.name]
            elif "organization_id" in names:
                where = "organization_id = :org"
            elif "user_id" in names:
                where = "user_id IN (SELECT id FROM users WHERE organization_id = :org)"
            else:
                raise AssertionError(f"say which rows of {table.name} belong to an organization in _ORGANIZATION_ROWS "
                                     "(tests/security/conftest.py)")
            if where is None:
                continue
            columns = [c for c in table.columns if c.name not in _BOOKKEEPING_COLUMNS]
            order = list(table.primary_key.columns) or columns
            query = sa.select(*columns).where(sa.text(where)).order_by(*order)
            for row in connection.execute(query, {"org": organization_id}):
                digest.update(repr((table.name, tuple(row))).encode())
    return digest.hexdigest()
