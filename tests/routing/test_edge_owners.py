"""``calling_edges.to_user_id``, the owner of each edge's destination, is kept right by the database itself:
after any sequence of changes to people, extensions, numbers and locations, written by plain SQL as an import
or a script would, it equals the owner computed from them (``graph_sql.OWNER``, what the loop check looked up
before it was stored). Without any one of the triggers, the same changes leave a wrong owner."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import text

from userhub.extensions import db
from userhub.routing import graph_sql, owner_sql
from userhub.routing.loops import Destination
from userhub.routing.route import Feature

EXTENSIONS = [f"50{i}" for i in range(8)]
NUMBERS = [f"+3318000000{i}" for i in range(10)]
OUTSIDE = "+33999000000"  # nobody's, ever
RING = Feature.SIMULTANEOUS_RING
STEPS = 400


def wrong_owners() -> list[tuple[int, int | None, int | None]]:
    """(edge, stored owner, owner computed from the people and numbers) where they differ."""
    rows = db.session.execute(text(f"SELECT e.id, e.to_user_id, {graph_sql.OWNER} FROM calling_edges e"))  # nosec B608
    return [(edge, stored, computed) for edge, stored, computed in rows if stored != computed]


def owners() -> dict[int, int | None]:
    return dict(db.session.execute(text("SELECT id, to_user_id FROM calling_edges")).all())


class World:
    """Two organizations with two locations each; every change is one plain SQL statement."""

    def __init__(self, rnd: random.Random) -> None:
        from userhub.organizations.services import create_location, create_organization

        self.rnd = rnd
        self.orgs = [create_organization(name, f"https://{name.lower()}.example.com") for name in ("Acme", "Globex")]
        db.session.flush()
        self.org_ids = [org.id for org in self.orgs]
        self.locations = [create_location(org, f"Site {i}", "FR", "Europe/Paris")
                          for i, org in enumerate(self.orgs * 2)]
        db.session.flush()
        self.location_ids = [location.id for location in self.locations]
        self.people = 0
        for _ in range(10):
            self.add_user()
        for _ in range(6):
            self.add_number()
        for _ in range(10):
            self.save_edges()

    def sql(self, statement: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
        result = db.session.execute(text(statement), params)
        return [tuple(row) for row in result] if result.returns_rows else []

    def users(self) -> list[tuple[int, int, str | None]]:
        return self.sql("SELECT id, organization_id, extension FROM users ORDER BY id")  # type: ignore[return-value]

    def numbers(self) -> list[tuple[int, str, int, int | None]]:
        return self.sql("SELECT id, e164, location_id, user_id FROM phone_numbers ORDER BY id")  # type: ignore[return-value]

    def free_extension(self, org: int) -> str | None:
        taken = {extension for _id, user_org, extension in self.users() if user_org == org}
        free = [extension for extension in EXTENSIONS if extension not in taken]
        return self.rnd.choice(free + [None])

    def without_number(self) -> list[int]:
        held = {user for *_n, user in self.numbers()}
        return [user for user, *_u in self.users() if user not in held]

    # --- the changes ---------------------------------------------------------------------------------

    def add_user(self) -> None:
        org = self.rnd.choice(self.org_ids)
        self.people += 1
        self.sql("INSERT INTO users (organization_id, email, first_name, last_name, display_name, status, "
                 "extension, created_at) VALUES (:org, :email, '', '', '', 'active', :extension, :now)",
                 org=org, email=f"p{self.people}@example.com", extension=self.free_extension(org),
                 now="2026-12-06 09:00:00")

    def change_extension(self) -> None:
        user, org, _extension = self.rnd.choice(self.users())
        self.sql("UPDATE users SET extension = :extension WHERE id = :user", extension=self.free_extension(org),
                 user=user)

    def swap_extensions(self) -> None:
        for org in self.org_ids:
            having = [(user, extension) for user, user_org, extension in self.users() if user_org == org and extension]
            if len(having) >= 2:
                (a, ext_a), (b, ext_b) = self.rnd.sample(having, 2)
                self.sql("UPDATE users SET extension = NULL WHERE id = :a", a=a)
                self.sql("UPDATE users SET extension = :e WHERE id = :b", e=ext_a, b=b)
                self.sql("UPDATE users SET extension = :e WHERE id = :a", e=ext_b, a=a)
                return

    def move_user(self) -> None:
        user, org, extension = self.rnd.choice(self.users())
        other = next(o for o in self.org_ids if o != org)
        taken = {ext for _id, user_org, ext in self.users() if user_org == other}
        self.sql("UPDATE users SET organization_id = :other, extension = :extension WHERE id = :user", other=other,
                 extension=extension if extension not in taken else None, user=user)

    def delete_user(self) -> None:
        users = self.users()
        if len(users) > 4:
            self.sql("DELETE FROM users WHERE id = :user", user=self.rnd.choice(users)[0])

    def add_number(self) -> None:
        existing = {e164 for _id, e164, *_n in self.numbers()}
        free = [number for number in NUMBERS if number not in existing]
        if free:
            self.sql("INSERT INTO phone_numbers (location_id, e164, user_id, created_at) "
                     "VALUES (:location, :e164, :user, :now)", location=self.rnd.choice(self.location_ids),
                     e164=self.rnd.choice(free), user=self.rnd.choice(self.without_number() + [None]),
                     now="2026-12-06 09:00:00")

    def assign_number(self) -> None:  # to somebody else, or to nobody
        number = self.rnd.choice(self.numbers())
        self.sql("UPDATE phone_numbers SET user_id = :user WHERE id = :number",
                 user=self.rnd.choice(self.without_number() + [None]), number=number[0])

    def delete_number(self) -> None:
        self.sql("DELETE FROM phone_numbers WHERE id = :number", number=self.rnd.choice(self.numbers())[0])

    def move_number(self) -> None:
        self.sql("UPDATE phone_numbers SET location_id = :location WHERE id = :number",
                 location=self.rnd.choice(self.location_ids), number=self.rnd.choice(self.numbers())[0])

    def renumber(self) -> None:
        existing = {e164 for _id, e164, *_n in self.numbers()}
        free = [number for number in NUMBERS if number not in existing]
        if free:
            self.sql("UPDATE phone_numbers SET e164 = :e164 WHERE id = :number", e164=self.rnd.choice(free),
                     number=self.rnd.choice(self.numbers())[0])

    def move_location(self) -> None:
        location = self.rnd.choice(self.location_ids)
        org = self.sql("SELECT organization_id FROM locations WHERE id = :location", location=location)[0][0]
        other = next(o for o in self.org_ids if o != org)
        self.sql("UPDATE locations SET organization_id = :other WHERE id = :location", other=other, location=location)

    def save_edges(self) -> None:
        user, org, _extension = self.rnd.choice(self.users())
        targets = self.rnd.sample(EXTENSIONS + NUMBERS + [OUTSIDE], self.rnd.randint(1, 4))
        graph_sql.replace_edges(org, user, [RING], [Destination(RING, target) for target in targets])

    def changes(self) -> list[Callable[[], None]]:
        return [self.add_user, self.change_extension, self.swap_extensions, self.move_user, self.delete_user,
                self.add_number, self.assign_number, self.delete_number, self.move_number, self.renumber,
                self.move_location, self.save_edges, self.save_edges]


def run_changes(seed: int = 16) -> tuple[list[tuple[str, list[tuple[int, int | None, int | None]]]], Counter[str]]:
    """The changes, each checked right after it: (change, the wrong owners it left) where some are wrong, and
    how many edges each kind of change gave a new owner."""
    rnd = random.Random(seed)
    world = World(rnd)
    wrong: list[tuple[str, list[tuple[int, int | None, int | None]]]] = []
    moved: Counter[str] = Counter()
    assert wrong_owners() == []
    for _ in range(STEPS):
        change = rnd.choice(world.changes())
        before = owners()
        change()
        after = owners()
        moved[change.__name__] += sum(1 for edge, owner in after.items() if edge in before and before[edge] != owner)
        found = wrong_owners()
        if found:
            wrong.append((change.__name__, found))
            db.session.execute(text(f"UPDATE calling_edges SET to_user_id = {graph_sql.OWNER.replace('e.', 'calling_edges.')}"))  # nosec B608
    return wrong, moved


def test_the_stored_owner_is_the_computed_one_after_any_change(app):
    wrong, moved = run_changes()
    assert wrong == []
    # each kind of change did move owners (the check above checked something)
    assert all(moved[name] > 0 for name in ("add_user", "change_extension", "swap_extensions", "move_user",
                                            "delete_user", "add_number", "assign_number", "delete_number",
                                            "move_number", "renumber", "move_location")), moved


@pytest.mark.parametrize("missing", [trigger.name for trigger in owner_sql.TRIGGERS])
def test_without_any_one_trigger_an_owner_goes_wrong(app, missing):
    trigger = next(trigger for trigger in owner_sql.TRIGGERS if trigger.name == missing)
    dialect = db.engine.dialect.name
    try:
        for statement in trigger.drop(dialect):
            db.session.execute(text(statement))
        wrong, _moved = run_changes()
        assert wrong, f"nothing went wrong without {missing}"
    finally:
        db.session.rollback()
        with db.engine.begin() as connection:  # SQLite's DROP TRIGGER may have committed on its own
            for statement in trigger.drop(dialect) + trigger.create(dialect):
                connection.execute(text(statement))


def test_a_deleted_persons_edges_to_them_lead_nowhere(app):
    """No trigger does this: the foreign key's ON DELETE SET NULL (SQLite enforces foreign keys in this app)."""
    from userhub.organizations.services import create_organization

    org = create_organization("Acme", "https://acme.example.com")
    db.session.flush()
    ids = []
    for i, extension in enumerate(("3200", "3201")):
        db.session.execute(text("INSERT INTO users (organization_id, email, status, first_name, last_name, "
                                "display_name, extension, created_at) VALUES (:org, :email, 'active', '', '', '', "
                                ":extension, '2026-12-06 09:00:00')"),
                           {"org": org.id, "email": f"u{i}@example.com", "extension": extension})
        ids.append(db.session.scalar(text("SELECT id FROM users WHERE extension = :e"), {"e": extension}))
    graph_sql.replace_edges(org.id, ids[0], [RING], [Destination(RING, "3201")])
    assert list(owners().values()) == [ids[1]]
    db.session.execute(text("DELETE FROM users WHERE id = :user"), {"user": ids[1]})
    assert list(owners().values()) == [None]
    assert wrong_owners() == []
