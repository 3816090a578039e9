"""One unit of work per request (userhub/unit_of_work.py): services only change and flush, the request
edge commits once. Two services called by one view are one transaction: when the second fails, nothing of
the first is kept. A lost connection at the commit is answered like one lost in a view (the 503 page)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import Flask, redirect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from userhub import unit_of_work
from userhub.accounts.models import User
from userhub.contacts import services as contacts, speed_dials
from userhub.contacts.models import Contact, SpeedDial
from userhub.extensions import db
from userhub.security.access import public

NUMBER = [contacts.NumberInput("mobile", "+33634333212")]


def _composed(app: Flask, user_id: int) -> None:
    """A view that calls two services, as a real one may: a contact, then a speed dial to it."""

    @public
    def compose(outcome: str):  # type: ignore[no-untyped-def]
        user = db.session.get(User, user_id)
        contacts.save_contact(user, "Léa Moreau", NUMBER)  # flushed: it has its id
        if outcome == "refused":
            try:
                speed_dials.add_speed_dial(user, "not a code", "+33634333212", "")
            except speed_dials.SpeedDialInvalid:
                return "the form again, with its errors", 400
        if outcome == "raises":
            raise RuntimeError("a bug in the second service")
        speed_dials.add_speed_dial(user, "07", "+33634333212", "Léa")
        return redirect("/")

    app.add_url_rule("/test/compose/<outcome>", view_func=compose, methods=["POST"])


def _committed(model: type) -> int:
    """Rows another connection sees: committed ones only."""
    with db.engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.fixture
def composed_client(app, user):  # type: ignore[no-untyped-def]
    _composed(app, user.id)
    db.session.commit()
    return app.test_client()


def test_two_services_in_one_request_are_committed_together(composed_client):
    assert composed_client.post("/test/compose/ok").status_code == 302
    assert (_committed(Contact), _committed(SpeedDial)) == (1, 1)


def test_the_second_service_refusing_leaves_nothing_of_the_first(composed_client):
    response = composed_client.post("/test/compose/refused")
    assert response.status_code == 400
    assert (_committed(Contact), _committed(SpeedDial)) == (0, 0)


def test_the_second_service_failing_leaves_nothing_of_the_first(composed_client):
    response = composed_client.post("/test/compose/raises")
    assert response.status_code == 500
    assert (_committed(Contact), _committed(SpeedDial)) == (0, 0)


def _lost_at_commit(self: Session) -> None:
    raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"),
                           connection_invalidated=True)


def test_a_connection_lost_at_the_commit_gives_the_503_page(composed_client, monkeypatch, caplog):
    monkeypatch.setattr(Session, "commit", _lost_at_commit)
    with caplog.at_level(logging.WARNING):
        response = composed_client.post("/test/compose/ok")
    monkeypatch.undo()
    assert response.status_code == 503
    assert b"briefly unavailable" in response.data
    assert "Database connection lost on POST /test/compose/ok" in caplog.text
    assert (_committed(Contact), _committed(SpeedDial)) == (0, 0)


def test_a_page_that_only_read_is_not_committed(app, user, monkeypatch):
    """A read-only page does not depend on a COMMIT: a connection lost after it was made keeps it."""
    client = app.test_client()
    monkeypatch.setattr(Session, "commit", _lost_at_commit)
    response = client.get("/sign-in")
    ready = client.get("/readyz")  # SQL text, "select 1": a read too
    monkeypatch.undo()
    assert response.status_code == 200
    assert ready.status_code == 200 and ready.get_json()["database"] == "ok"


def test_committing_commits_the_block_and_runs_what_waited_for_it(app, user):
    ran: list[int] = []
    with unit_of_work.committing():
        contacts.save_contact(db.session.get(User, user.id), "Léa Moreau", NUMBER)
        unit_of_work.after_commit(lambda: ran.append(_committed(Contact)))
    assert ran == [1]


def test_committing_rolls_the_block_back_when_it_raises(app, user):
    ran: list[int] = []
    with pytest.raises(speed_dials.SpeedDialInvalid), unit_of_work.committing():
        person = db.session.get(User, user.id)
        contacts.save_contact(person, "Léa Moreau", NUMBER)
        unit_of_work.after_commit(lambda: ran.append(1))
        speed_dials.add_speed_dial(person, "not a code", "+33634333212", "")
    assert (_committed(Contact), ran) == (0, [])
    with unit_of_work.committing():
        pass  # a later unit of work does not run what the rolled-back one registered
    assert ran == []


def test_a_rolled_back_unit_of_work_never_runs_what_it_registered(app, user):
    ran: list[int] = []
    contacts.save_contact(db.session.get(User, user.id), "Léa Moreau", NUMBER)
    unit_of_work.after_commit(lambda: ran.append(1))
    db.session.rollback()  # e.g. a view that gives up after starting a job, then answers a page
    with unit_of_work.committing():
        pass
    assert (_committed(Contact), ran) == (0, [])


def test_a_savepoint_rolled_back_keeps_what_the_unit_of_work_registered(app, user):
    ran: list[int] = []
    with unit_of_work.committing():
        unit_of_work.after_commit(lambda: ran.append(1))
        with pytest.raises(RuntimeError), db.session.begin_nested():
            raise RuntimeError("only this step is undone")
    assert ran == [1]
