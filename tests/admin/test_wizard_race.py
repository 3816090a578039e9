"""Two administrators, each on their own server (own app, own engine, own connections), pick the same
number or the same extension at the same moment: exactly one batch is created, the other is told
which number or extension was taken and keeps the rest of its form. PostgreSQL only: that is where
concurrent writers really interleave (SQLite serializes whole transactions)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import testing_config as server_config
from userhub import create_app, unit_of_work
from userhub.accounts.models import User
from userhub.admin import wizard
from userhub.extensions import db
from userhub.organizations.models import Organization, Package


def _race(app, monkeypatch, rows_for):  # type: ignore[no-untyped-def]
    """Run two batches in two apps; both pass their checks before either writes."""
    barrier = threading.Barrier(2, timeout=20)
    original = wizard.check_numbers
    waited: set[str] = set()

    def check_then_wait(organization, rows):  # type: ignore[no-untyped-def]
        ok = original(organization, rows)
        name = threading.current_thread().name
        if name.startswith("admin-") and name not in waited:
            waited.add(name)
            barrier.wait()  # both administrators have seen the number free before either writes
        return ok

    monkeypatch.setattr(wizard, "check_numbers", check_then_wait)
    config = server_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["USERHUB_SMTP_PORT"])
    # Each server is built here, before the race: in production every server is a process that starts on its
    # own, and building two Flask apps at once in two threads of one process is not safe on CPython 3.11 (the
    # URL rules are compiled with ast, whose constructor state threads share: "SystemError: AST constructor
    # recursion depth mismatch", CPython gh-106905). That is what made this test fail now and then: one thread
    # died in create_app and the other gave up at the barrier inside check_numbers.
    servers = {name: create_app(config) for name in ("a", "b")}
    results: dict[str, object] = {}
    failures: dict[str, BaseException] = {}

    def administrator(name: str) -> None:
        with servers[name].app_context():
            try:
                organization = db.session.scalar(select(Organization).where(Organization.name == "Acme"))
                rows = rows_for(name)
                with unit_of_work.committing():  # as the wizard's request commits at its edge
                    created = wizard.create_batch(organization, rows, "names")
                results[name] = created if created is None else len(created)
                results[name + "-errors"] = [row.errors for row in rows]
                results[name + "-rows"] = rows
            except BaseException as exc:  # reported by the test, not as a thread warning
                failures[name] = exc
                barrier.abort()  # the other administrator must not wait for this one
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=administrator, args=(n,), name=f"admin-{n}") for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "an administrator is still running after 30 s"
    assert not failures, f"an administrator failed: {failures!r}"
    return results


pytestmark = pytest.mark.postgres_only


@pytest.fixture
def needs_postgres(backend):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("concurrent writers interleave only on PostgreSQL")


def test_two_servers_race_for_one_number(needs_postgres, app, organization, monkeypatch):
    package_id = str(db.session.scalar(select(Package.id)))
    location_id = str(organization.locations[0].id)

    def rows_for(name: str) -> list[wizard.Row]:
        return [wizard.Row(email=f"{name}@example.com", package=package_id, location=location_id,
                           number="+33184883207", extension=f"7{ord(name)}")]

    results = _race(app, monkeypatch, rows_for)
    outcomes = sorted([results["a"], results["b"]], key=str)
    assert outcomes == [1, None]
    loser = "a" if results["a"] is None else "b"
    assert results[loser + "-errors"] == [{"number": "+33184883207 has just been taken. Choose another number."}]
    assert results[loser + "-rows"][0].email == f"{loser}@example.com"  # the form is kept
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_two_servers_race_for_one_extension(needs_postgres, app, organization, monkeypatch):
    package_id = str(db.session.scalar(select(Package.id)))
    location_id = str(organization.locations[0].id)

    def rows_for(name: str) -> list[wizard.Row]:
        number = "+33184883201" if name == "a" else "+33184883202"
        return [wizard.Row(email=f"{name}@example.com", package=package_id, location=location_id,
                           number=number, extension="4242")]

    results = _race(app, monkeypatch, rows_for)
    assert sorted([results["a"], results["b"]], key=str) == [1, None]
    loser = "a" if results["a"] is None else "b"
    assert results[loser + "-errors"] == [{"extension": "Extension 4242 is already used."}]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 1
