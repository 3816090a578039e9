"""One unit of work: services change the session and flush; whoever started the work commits it, once.

Services never commit. They flush where they need an id or a constraint's answer at once (a unique name
taken by a racing request becomes the form's message, inside a savepoint so that only their own change is
undone). Because nothing in between commits, two services called by one view are one transaction: if
the second fails, nothing of the first is kept.

**A request** commits at its edge (``init_app``), as Indico's request handler or Flask-Security's
``view_commit`` do: right after the view, before every ``after_request`` function, so that the access log
and the headers see the status the person really gets. How the edge decides:

- A page or a redirect (status below 400), e.g. the redirect after a successful POST: commit, if the
  request wrote (an ORM flush, an INSERT/UPDATE/DELETE, or changes still pending). A request that only
  read is not committed.
- An error status (400 and above): not committed. A form re-rendered with its errors answers 400 (409
  for a stale page): services check before they write, and if one had flushed already, its writes go.
  (A form re-rendered with 200 must therefore have written nothing: the edge cannot tell it from a page.)
- An exception in the view: the app's error handler answers 500 (or 503) and rolls back; the edge then
  sees that status and has nothing left to do.
- Whatever is not committed is rolled back when the session ends at teardown, as before this module, so
  a connection lost after such a page was made keeps the page (``ops._end_session_safely``).
- A streamed response: the commit happens when the view returns, before the body is produced; the
  generator only reads (the users' export), in a context of its own.
- The connection lost at the commit: the exception goes to the app's own error handler, exactly as one
  raised in a view: the 503 page and the "Database connection lost" log line; nothing is committed (the
  database rolls back a transaction whose connection died).

Work that must see the committed rows (a job's thread reads its job) is registered with ``after_commit``
and runs after the commit, or is dropped by the rollback.

**Outside a request** (CLI commands, admin jobs, the mail worker, the demo seeding) the caller commits
with ``with committing():``, one shape for all: the block's writes are committed when it ends, rolled
back if it raises. ``tests/structure/test_unit_of_work.py`` checks that no other module commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, after_this_request, current_app
from sqlalchemy import TextClause, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from .extensions import db

_WROTE = "userhub.unit_of_work.wrote"
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_AFTER_COMMIT = "userhub.unit_of_work.after_commit"


def init_app(app: Flask) -> None:
    # First of the before-request functions (the request id's goes in front later): every request that
    # reaches a view, or is answered by a before-request function, passes the edge.
    app.before_request_funcs.setdefault(None, []).insert(0, _open_edge)
    if not event.contains(Session, "after_flush", _flushed):
        event.listen(Session, "after_flush", _flushed)
        event.listen(Session, "do_orm_execute", _executed)
        event.listen(Session, "after_transaction_end", _ended)
        event.listen(Session, "after_soft_rollback", _rolled_back)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work is committed (never if it is rolled back)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@contextmanager
def committing() -> Iterator[None]:
    """Outside a request: commit the block's writes when it ends, roll them back if it raises."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.info.pop(_AFTER_COMMIT, None)
        rollback_quietly()  # the commit itself may have failed on a dead connection
        raise
    _run_after_commit()


def rollback_quietly() -> None:
    """Roll back; if the connection is gone, drop it instead (the next statement takes a fresh one)."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.registry().invalidate()


def _open_edge() -> None:
    after_this_request(_close_edge)


def _close_edge(response: Response) -> Response:
    session = db.session()
    if response.status_code >= 400:  # not committed: the session's end at teardown rolls it back
        session.info.pop(_AFTER_COMMIT, None)
        return response
    if not (session.info.get(_WROTE) or session.new or session.dirty or session.deleted):
        _run_after_commit()  # nothing to commit
        return response
    try:
        session.commit()
    except Exception as error:  # answered as if the view had raised it: the 503 page for a lost connection
        session.info.pop(_AFTER_COMMIT, None)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return app.make_response(app.handle_user_exception(error))
    _run_after_commit()
    return response


def _run_after_commit() -> None:
    for callback in db.session.info.pop(_AFTER_COMMIT, []):
        callback()


def _flushed(session: Session, _flush: UOWTransaction) -> None:
    session.info[_WROTE] = True


def _executed(state: ORMExecuteState) -> None:
    # Anything but a SELECT may write: UPDATE, DELETE, INSERT, and SQL text unless it is a plain SELECT
    # (the routing graph's reads; "SELECT pg_advisory_xact_lock" only runs in a save, which writes anyway).
    statement = state.statement
    if state.is_select or isinstance(statement, TextClause) and _READ.match(statement.text):
        return
    state.session.info[_WROTE] = True


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction, not a savepoint: committed or rolled back
        session.info.pop(_WROTE, None)


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the whole unit of work, not a savepoint: what it registered never runs
        session.info.pop(_AFTER_COMMIT, None)
