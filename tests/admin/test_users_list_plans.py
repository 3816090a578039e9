"""The users list's statements read their page from indexes, as the database plans them (SQLite); so does
the CSV export's join of each user to their number.

An organization with many users and a pool of free numbers, its statistics gathered by ANALYZE as the
bench does (issue 16): SQLite counts the free numbers' NULL user_id as one value, which made a join to
the numbers look like 1,000s of numbers per user, and the page statement then read the whole numbers table
for each of its rows and, sorted by email or status, the whole users table in the sort's order (25 to 45
ms a page at 100,000 users). Every statement of every sort, filter, search and page must search an index
(or the page's ids) instead of scanning a table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, insert, select, text

from userhub.accounts.models import User
from userhub.admin import imports, users as user_service
from userhub.extensions import db
from userhub.organizations.models import PhoneNumber
from userhub.organizations.services import create_location

USERS = 3000
FREE_NUMBERS = 3000


def _seed(organization, paris) -> int:  # type: ignore[no-untyped-def]
    lyon = create_location(organization, "Lyon", "FR", "Europe/Paris")
    db.session.execute(insert(User), [
        {"organization_id": organization.id, "email": f"user{i:05d}@example.com", "first_name": f"First{i % 97}",
         "last_name": f"Last{i:05d}", "status": "active" if i % 300 == 0 else "invited",
         "location_id": (paris.id, lyon.id)[i % 2]} for i in range(USERS)])
    db.session.execute(insert(PhoneNumber), [{"location_id": lyon.id, "e164": f"+3347200{i:04d}"}
                                             for i in range(FREE_NUMBERS)])
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    db.session.refresh(organization)  # loaded now, so that each list below runs its own statements only
    return lyon.id


def _plans(organization, query: user_service.UserQuery) -> tuple[user_service.UserPage, list[tuple[str, list[str]]]]:  # type: ignore[no-untyped-def]
    """The page, and each statement list_users ran with SQLite's plan for it (one line per table access)."""
    ran: list[tuple[str, Any]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        ran.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        page = user_service.list_users(organization, query)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    connection = db.session.connection()
    plans = [(statement, [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)])
             for statement, parameters in ran]
    return page, plans


def test_every_page_searches_indexes_instead_of_scanning_a_table(backend, organization, paris):  # type: ignore[no-untyped-def]
    if backend != "sqlite":
        pytest.skip("SQLite's query plans (PostgreSQL's: bench/bench_admin_users.py)")
    lyon_id = _seed(organization, paris)
    queries = [user_service.UserQuery(sort=sort, **filters)
               for sort in user_service.SORTS
               for filters in ({}, {"location_id": lyon_id}, {"status": "invited"}, {"status": "active"},
                               {"location_id": lyon_id, "status": "invited"}, {"search": "user0004"},
                               {"search": "l"}, {"search": "last00042"})]
    checked = 0
    for query in queries:
        first, plans = _plans(organization, query)
        assert first.rows, query
        pages = [plans, _plans(organization, replace(query, last=True))[1]]
        if first.has_next:
            pages.append(_plans(organization, replace(query, after=first.rows[-1].key))[1])
        for plans in pages:
            assert len(plans) == 2, (query, plans)  # the capped count and the page
            for statement, plan in plans:
                scans = [line for line in plan if line.startswith(("SCAN users", "SCAN phone_numbers"))]
                assert not scans, (query, statement, plan)
                checked += 1
    assert checked >= 2 * 2 * len(queries)


def test_the_export_finds_each_user_s_number_by_the_index_of_held_numbers(backend, organization, paris):  # type: ignore[no-untyped-def]
    """The export joins every user to their number: with the free numbers' NULLs counted as one value, SQLite
    scanned the numbers table for each user (5 s of CPU per 10,000 users at 10,000 free numbers)."""
    if backend != "sqlite":
        pytest.skip("SQLite's query plans")
    _seed(organization, paris)
    held = db.session.scalar(select(PhoneNumber).where(PhoneNumber.location_id == paris.id))
    held.user_id = db.session.scalar(select(User.id).where(User.email == "user00042@example.com"))
    db.session.commit()
    ran: list[tuple[str, Any]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        ran.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        rows = imports._export_batch(organization.id, user_service.UserQuery(), 0, 2000)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert len(rows) == 2000 and [r.e164 for r in rows if r.email == "user00042@example.com"] == [held.e164]
    statement, parameters = next((s, p) for s, p in ran if "phone_numbers" in s)
    plan = [row[3] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    assert any(line.startswith("SEARCH phone_numbers USING INDEX ix_phone_numbers_held") for line in plan), plan
