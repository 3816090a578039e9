"""Two server processes assign the same number (and, separately, the same extension) at the same moment,
50 times over: exactly one wins each time, the other is told which one was taken; nothing else is created.

Each process builds its own app, engine and connections, as two gunicorn workers would. Both pass the
wizard's checks before either writes (a barrier shared by the processes), so the database's unique
constraints decide. PostgreSQL only: SQLite serializes whole transactions."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from tests.conftest import testing_config as server_config
from userhub import create_app
from userhub.accounts.models import User
from userhub.admin import wizard
from userhub.extensions import db
from userhub.organizations.models import Organization, Package
from userhub.organizations.services import add_numbers
from userhub.phones import number_range
from userhub.unit_of_work import committing

pytestmark = pytest.mark.postgres_only
ROUNDS = 50


def _administrator(name: str, config: dict, rounds: list[dict], barrier, results) -> None:  # type: ignore[no-untyped-def]
    server = create_app(config)
    original = wizard.check_numbers
    first_check = [True]

    def check_then_wait(organization, rows):  # type: ignore[no-untyped-def]
        ok = original(organization, rows)
        if first_check[0]:  # the loser checks again to name what was taken: wait only once a round
            first_check[0] = False
            barrier.wait()  # the other process has checked too: both saw the number free
        return ok

    wizard.check_numbers = check_then_wait
    with server.app_context():
        organization = db.session.scalar(select(Organization).where(Organization.name == "Acme"))
        for i, spec in enumerate(rounds):
            rows = [wizard.Row(email=f"{name}{i}@example.com", **spec)]
            first_check[0] = True
            try:
                with committing():  # as the request's edge commits what the view did
                    created = wizard.create_batch(organization, rows, "names")
                results.put((i, name, "won" if created else rows[0].errors))
            except Exception as exc:  # what would have been a 500
                db.session.rollback()
                results.put((i, name, f"crash: {exc!r}"))
        db.session.remove()
        db.engine.dispose()


def _race(app, organization, spec_for) -> list[tuple[int, str, object]]:  # type: ignore[no-untyped-def]
    location = organization.locations[0]
    add_numbers(location, number_range("+33 1 84 88 33 00", "+33 1 84 88 33 99", "FR"))
    db.session.commit()
    package = str(db.session.scalar(select(Package.id)))
    config = server_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["USERHUB_SMTP_PORT"])
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2, timeout=30), context.Queue()
    processes = [
        context.Process(target=_administrator,
                        args=(name, config, [spec_for(i, name, package, str(location.id)) for i in range(ROUNDS)],
                              barrier, results))
        for name in ("a", "b")
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    return sorted(outcomes, key=lambda item: (item[0], item[1]))


def _one_winner_per_round(outcomes: list[tuple[int, str, object]], message_for) -> None:  # type: ignore[no-untyped-def]
    for i in range(ROUNDS):
        (_, _, first), (_, _, second) = [o for o in outcomes if o[0] == i]
        assert sorted([first, second], key=str).count("won") == 1, (i, first, second)
        loser = second if first == "won" else first
        assert loser == message_for(i), (i, loser)


def test_two_processes_race_for_the_same_number_fifty_times(backend, app, organization):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("concurrent writers interleave only on PostgreSQL")

    def spec(i: int, name: str, package: str, location: str) -> dict:
        return {"package": package, "location": location, "number": f"+331848833{i:02d}",
                "extension": f"{5 if name == 'a' else 6}{i:03d}"}

    outcomes = _race(app, organization, spec)
    _one_winner_per_round(
        outcomes, lambda i: {"number": f"+331848833{i:02d} has just been taken. Choose another number."})
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == ROUNDS


def test_two_processes_race_for_the_same_extension_fifty_times(backend, app, organization):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("concurrent writers interleave only on PostgreSQL")

    def spec(i: int, name: str, package: str, location: str) -> dict:
        number = 2 * i + (0 if name == "a" else 1)
        return {"package": package, "location": location, "number": f"+331848833{number:02d}",
                "extension": f"7{i:03d}"}

    outcomes = _race(app, organization, spec)
    _one_winner_per_round(outcomes, lambda i: {"extension": f"Extension 7{i:03d} is already used."})
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == ROUNDS
