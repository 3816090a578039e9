"""Is a pooled PostgreSQL connection still alive when a request takes it? Asked without a round trip.

``pool_pre_ping`` (the configuration's default) sends ``SELECT 1`` each time a request takes a connection
from the pool: one round trip to the database before every page and every call decision (a decision
otherwise makes 2.6; issue 15). On PostgreSQL the same question is answered by the connection's socket. An
idle connection has nothing to read: the server answers only what it is asked. A server that restarts,
fails over or ends the backend (``pg_terminate_backend``, an idle timeout) sends its error and closes the
socket, which then turns readable. So a pooled connection is pinged only when its socket has something to
read, and nobody waits for it otherwise.

As with ``pool_pre_ping``, a connection found dead drops every connection the pool held before it (a restart
ends them all) and the request gets a fresh one. What neither check can see is a network path that died
without closing (no FIN): ``SELECT 1`` would hang on it as long as the request's own statement does.
"""

from __future__ import annotations

import select
from typing import Any

from flask import Flask
from sqlalchemy import event, exc


def checked_without_round_trip(app: Flask) -> bool:
    """Before ``db.init_app``: on PostgreSQL with psycopg, the socket check replaces the pool's pre-ping
    (``attach`` then adds it). Other databases keep the configuration as it is (SQLite has no server)."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    if not options.get("pool_pre_ping") or not uri.startswith("postgresql+psycopg"):
        return False
    options["pool_pre_ping"] = False
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    return True


def attach(engine: Any) -> None:
    """After ``db.init_app``: check every connection the pool hands out."""
    event.listen(engine, "checkout", _check_on_checkout)


def _check_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    if not alive(dbapi_connection):
        # What pre-ping raises: this connection is replaced, and those pooled before it are dropped.
        raise exc.InvalidatePoolError("the database closed this connection")


def alive(dbapi_connection: Any) -> bool:
    """False when the connection is closed or broken; a socket with something to read (the server's
    farewell, or anything unexpected) is pinged the usual way."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return False
    try:
        poller = select.poll()  # not select.select: a busy process may hold descriptors past 1024
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        if not poller.poll(0):
            return True  # nothing came from the server since the last answer: as it was
    except (OSError, ValueError):
        return False
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not dbapi_connection.autocommit:
            dbapi_connection.rollback()  # the ping opened a transaction: the request starts its own
        return True
    except Exception:  # any failure of the ping means: replace the connection
        return False
