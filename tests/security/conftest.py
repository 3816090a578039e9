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

    def role_of(self, person: str) -> str | None:
        return {"employee": None, "anonymous": None, "other_org_admin": "full"}.get(person, person)

    def account(self, person: str | None) -> Any:
        """The user behind ``person``; the employee for anonymous or nobody in particular."""
        return {**self.admins, "other_org_admin": self.other_admin}.get(person or "employee", self.employee)


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
