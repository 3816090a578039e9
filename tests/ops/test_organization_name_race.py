"""Two provider operators create the same organization at the same moment, 20 times over, with the CLI
(`flask create-organization`, the only way organizations are made): exactly one command succeeds each
time; the other exits with the French refusal a person reads ("already exists"), never a traceback; one
organization of that name is left.

Each process builds its own app, engine and connections, as two operators' commands would. Both pass the
service's "is the name free?" check before either inserts (a barrier shared by the processes, reached when
the organization is built, after the check), so the unique ``name_key`` of migration 0011 decides. The
second operator types the name differently ("  ACME  race 3 "): the same name once normalised.
PostgreSQL only: SQLite serializes whole transactions."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from tests.conftest import testing_config as server_config
from userhub import create_app
from userhub.extensions import db
from userhub.organizations import services
from userhub.organizations.models import Organization

pytestmark = pytest.mark.postgres_only
ROUNDS = 20


def _spelling(name: str, i: int) -> str:
    return f"Acme race {i}" if name == "a" else f"  ACME  race {i} "


def _operator(name: str, config: dict, barrier, results) -> None:  # type: ignore[no-untyped-def]
    server = create_app(config)

    class BuiltAfterBothChecked:
        """The service's Organization: its columns as they are (the check reads them); making one waits."""

        def __getattr__(self, name: str) -> object:
            return getattr(Organization, name)

        def __call__(self, **values: object) -> Organization:
            barrier.wait()  # the other process has checked too: both saw the name free
            return Organization(**values)

    services.Organization = BuiltAfterBothChecked()  # type: ignore[assignment,misc]
    runner = server.test_cli_runner()
    # This process's app, not the test's (whose context the fork inherited, connections included).
    with server.app_context():
        for i in range(ROUNDS):
            result = runner.invoke(args=["create-organization", _spelling(name, i)])
            crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
            results.put((i, name, result.exit_code, "crash: " + repr(result.exception) if crashed else result.output))
        db.session.remove()
        db.engine.dispose()


def test_two_processes_create_the_same_organization_name(backend, app):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("concurrent writers interleave only on PostgreSQL")
    config = {**server_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["USERHUB_SMTP_PORT"]),
              "BABEL_DEFAULT_LOCALE": "fr"}  # the product's default language: the CLI speaks it
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2, timeout=30), context.Queue()
    processes = [context.Process(target=_operator, args=(name, config, barrier, results)) for name in ("a", "b")]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0

    for i in range(ROUNDS):
        this_round = {name: (code, output) for j, name, code, output in outcomes if j == i}
        codes = {name: code for name, (code, _output) in this_round.items()}
        assert sorted(codes.values()) == [0, 1], (i, this_round)
        winner, loser = sorted(codes, key=codes.__getitem__)
        assert this_round[winner][1].startswith("Organization "), (i, this_round)
        # What the operator reads: the name as they typed it, in French; no traceback, no SQL.
        refused = this_round[loser][1]
        assert refused.strip() == f"Error: Une organisation nommée «\u00a0{_spelling(loser, i).strip()}\u00a0» existe déjà.", \
            (i, refused)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Organization.id)).where(Organization.name_key.like("acme race %"))) \
        == ROUNDS
