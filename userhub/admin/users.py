"""The users list (search, filters, sort, pages) and changes made on a user's page.

The list costs two statements whatever the size of the organization: a count that stops at
``SORT_CAP`` (shown exactly up to ``COUNT_CAP``) and one page of rows (the columns the list shows, from the
users table alone). Pages are keyset
pages: a page starts after (or ends before) the sort key of a row of the page the link came from, so
that the database reads the page's rows from an index in the sort's order instead of skipping the rows
before them; the last page is the first one in reverse order. Each sort, alone or behind the location or
status filter, has an index in its order (this area's migration).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, tuple_
from sqlalchemy.exc import IntegrityError

from ..accounts import provisioning
from ..accounts.models import User, UserStatus
from ..extensions import db
from ..security.bounds import ID_MAX
from ..i18n import gettext as _
from ..organizations.models import Location, Organization, Package, PhoneNumber
from . import audit

PAGE_SIZE = 50
# The page sizes an administrator can choose (?size=); any other value shows PAGE_SIZE rows.
PAGE_SIZES = (25, 50, 100)
# Past this many matching users the list says "more than 1,000" instead of counting them all.
COUNT_CAP = 1000
# Up to this many matches, a search collects them by its indexes and sorts them (10,000: 7 ms on SQLite);
# past it, it reads the sort's index in order instead, which stops when the page is full (sorting all of
# 100,000 took 110 ms). A search's count stops here, so it costs what it reads.
SORT_CAP = 20_000
# Each sort ends with the id, so that its key tells rows apart (keyset pages need a total order).
SORTS = {
    "name": (User.last_name, User.first_name, User.id),
    "email": (User.email, User.id),
    "status": (User.status, User.last_name, User.first_name, User.id),
}


@dataclass
class UserQuery:
    search: str = ""
    location_id: int | None = None
    status: str = ""
    sort: str = "name"
    after: str = ""  # a cursor: the page starts after this key ("Next")
    before: str = ""  # a cursor: the page ends before this key ("Previous")
    last: bool = False  # the last page
    page: int = 0  # a page number (offset pages), followed only where the count is exact (cheap)
    page_size: int = PAGE_SIZE


@dataclass
class UserRow:
    id: int
    name: str
    email: str
    status: str
    admin_role: str | None
    key: str = ""  # this row's cursor in the page's sort


@dataclass
class UserPage:
    rows: list[UserRow]
    total: int  # exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP"
    has_previous: bool
    has_next: bool
    query: UserQuery = field(default_factory=UserQuery)
    page_size: int = PAGE_SIZE
    # How many matching rows come before this page's first row; known only where the count is exact.
    first_index: int | None = None

    @property
    def total_is_exact(self) -> bool:
        return self.total <= COUNT_CAP

    @property
    def pages(self) -> int | None:
        """The number of pages, where the count is exact (else None: "more than 1,000")."""
        if not self.total_is_exact:
            return None
        return max(1, -(-self.total // self.page_size))

    @property
    def number(self) -> int | None:
        """This page's number among ``pages``, or None when unknown or when the page does not start where a
        numbered page starts (keyset pages read backwards from the end are full, so they can straddle two)."""
        if self.first_index is None or self.pages is None:
            return None
        if not self.has_next:
            return self.pages
        return self.first_index // self.page_size + 1 if self.first_index % self.page_size == 0 else None

    @property
    def near(self) -> int | None:
        """The numbered page this page starts in (the number, for a page that starts where one does)."""
        if self.pages is None or self.first_index is None:
            return None
        return self.number or min(self.first_index // self.page_size + 1, self.pages)


def search_clause(text: str, *, use_indexes: bool = True) -> ColumnElement[bool]:
    """Users whose email, first name or last name starts with ``text`` (lower case).

    Prefix search as ranges [text, text + U+10FFFF): each one can use an index (email's unique index, the
    lower(name) indexes of this area), on SQLite and PostgreSQL alike. ``use_indexes=False`` writes the
    same test so that no index serves it (``|| ''``): when most users match, the page is found faster by
    reading the sort's index in order and testing each row than by collecting every match and sorting."""
    end = text + "\U0010ffff"
    email: Any = User.email
    first: Any = func.lower(User.first_name)
    last: Any = func.lower(User.last_name)
    if not use_indexes:
        email, first, last = email.concat(""), first.concat(""), last.concat("")
    return or_(and_(email >= text, email < end), and_(first >= text, first < end), and_(last >= text, last < end))


def _filtered(organization: Organization, query: UserQuery, statement: Select,  # type: ignore[type-arg]
              *, use_indexes: bool = True) -> Select:  # type: ignore[type-arg]
    statement = statement.where(User.organization_id == organization.id)
    text = query.search.strip().lower()
    if text:
        statement = statement.where(search_clause(text, use_indexes=use_indexes))
    if query.location_id:
        statement = statement.where(User.location_id == query.location_id)
    if query.status in (UserStatus.INVITED.value, UserStatus.ACTIVE.value):
        statement = statement.where(User.status == query.status)
    return statement


def _encode_key(values: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_key(cursor: str, sort: str) -> tuple[Any, ...] | None:
    """The sort key a cursor holds, or None when it is not one of this sort's keys (a link edited by
    hand, an old bookmark): the list then shows its first page."""
    if not cursor or len(cursor) > 2000:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return None
    columns = SORTS[sort]
    if not isinstance(values, list) or len(values) != len(columns):
        return None
    for column, value in zip(columns, values, strict=True):
        wanted = int if column is User.id else str
        if type(value) is not wanted:
            return None
        # What the database cannot hold is no key of any row: an id past PostgreSQL's integer, a NUL.
        if isinstance(value, int):
            if not 0 <= value <= ID_MAX:
                return None
        elif "\x00" in value or len(value) > 500:
            return None
    return tuple(values)


def _key_of(sort: str, row: Any) -> tuple[Any, ...]:
    by_name = {"id": row.id, "last_name": row.last_name, "first_name": row.first_name, "email": row.email,
               "status": row.status}
    return tuple(by_name[column.key] for column in SORTS[sort])


def list_users(organization: Organization, query: UserQuery, page_size: int | None = None) -> UserPage:
    sort = query.sort if query.sort in SORTS else "name"
    size = page_size or (query.page_size if query.page_size in PAGE_SIZES else PAGE_SIZE)
    searching = bool(query.search.strip())
    order: tuple[Any, ...] = SORTS[sort]
    after, before = decode_key(query.after, sort), decode_key(query.before, sort)
    cursor = None if query.last else after if after is not None else before
    # Without a search the filters and sorts have indexes in order: count only what is shown.
    cap = SORT_CAP if searching else COUNT_CAP
    # The same statement counts the rows before the cursor: where the count is exact this gives the page's
    # number at no extra statement (at most COUNT_CAP rows are read).
    counted: list[Any] = [literal(1).label("one")]
    if cursor is not None:
        counted = [*order]
    matching = _filtered(organization, query, select(*counted)).limit(cap + 1).subquery()
    measures: list[Any] = [func.count()]
    if cursor is not None:
        keys = tuple(matching.c[column.key] for column in order)
        inclusive = tuple_(*keys) <= tuple_(*cursor) if after is not None else tuple_(*keys) < tuple_(*cursor)
        measures.append(func.coalesce(func.sum(case((inclusive, 1), else_=0)), 0))
    counts = db.session.execute(select(*measures).select_from(matching)).one()
    found = counts[0] or 0
    total = min(found, COUNT_CAP + 1)
    exact = found <= COUNT_CAP
    # A page number is an offset page, followed only where the count is exact, so the offset stays small.
    pages = max(1, -(-found // size))
    number = min(query.page, pages) if exact and query.page > 1 and cursor is None and not query.last else 0
    backwards = query.last or (before is not None and after is None)
    # A search with few matches: collect them by the search's indexes and sort them; the sort key is
    # written so that no index serves it, else PostgreSQL, which expects matches spread evenly, may read
    # the sort's index instead and test 90,000 rows to find 50 matches at its end. Many matches: read the
    # sort's index in order, testing each row, until the page is full (see search_clause).
    collect = searching and found <= SORT_CAP
    if collect:
        order = tuple(column + 0 if column is User.id else column.concat("") for column in order)
    ids = _filtered(organization, query, select(User.id), use_indexes=collect or not searching)
    if query.last:
        pass
    elif after is not None:
        ids = ids.where(tuple_(*order) > tuple_(*after))
    elif before is not None:
        ids = ids.where(tuple_(*order) < tuple_(*before))
    direction = [column.desc() for column in order] if backwards else list(order)
    # The last page, where the count is exact, is the last numbered page (its remainder), so that it is
    # the same rows as that page's number and "previous" from it lands on numbered pages too.
    reading = found - (pages - 1) * size if query.last and exact and found else size
    # One row more than the page tells whether there is a page further in the direction read.
    ids = ids.order_by(*direction).limit(reading + 1)
    if number:
        ids = ids.offset((number - 1) * size)
    page_ids = ids.scalar_subquery()
    # Only what the list shows (the guide's columns: name, email, status, roles), from the users table
    # alone. The page once also joined each row's location and number, never shown: most of an
    # organization's numbers are free (user_id NULL) and SQLite's ANALYZE counts those NULLs as one value,
    # so the join looked like 10,000 numbers per user; SQLite then read the whole numbers table for each
    # row (25 ms a page at 10,000 numbers) and, sorted by email or status, all 100,000 users in the sort's
    # order as well (45 ms).
    statement = (
        select(User.id, User.first_name, User.last_name, User.email, User.status, User.admin_role)
        .where(User.id.in_(page_ids))
        .order_by(*[column.desc() for column in SORTS[sort]] if backwards else SORTS[sort])
    )
    rows = list(db.session.execute(statement).all())
    further = len(rows) > reading
    rows = rows[:reading]
    if backwards:
        rows.reverse()
    moved = after is not None or before is not None
    if backwards:
        has_previous, has_next = further, not query.last and moved
    else:
        has_previous, has_next = after is not None or number > 1, further
    first_index: int | None = None
    if exact:
        if query.last:
            first_index = found - len(rows)
        elif cursor is None:
            first_index = max(number - 1, 0) * size
        elif after is not None:
            first_index = counts[1]
        else:
            first_index = max(counts[1] - len(rows), 0)
    return UserPage(
        [UserRow(r.id, " ".join(p for p in (r.first_name, r.last_name) if p), r.email, r.status, r.admin_role,
                 _encode_key(_key_of(sort, r))) for r in rows],
        total, has_previous, has_next, query, size, first_index,
    )


def page_numbers(current: int | None, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers to link: the first, the last and ``around`` on each side of the current page; None
    stands for the numbers left out ("…"), so that 40 pages still fit a phone's width."""
    anchor = current or 1
    shown = sorted({1, pages, *range(max(1, anchor - around), min(pages, anchor + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def locations(organization: Organization) -> list[Location]:
    return list(db.session.scalars(select(Location).where(Location.organization_id == organization.id)
                                   .order_by(Location.name)))


def packages() -> list[Package]:
    return list(db.session.scalars(select(Package).order_by(Package.name)))


def update_calling(user: User, *, package_id: int | None, location_id: int | None, number: str,
                   extension: str) -> None:
    """Change package, location, number and extension with the wizard's rules; all or nothing.
    Raises ProvisioningError (field, message), with nothing of the change left in the session."""
    organization = user.organization
    location = db.session.get(Location, location_id) if location_id else None
    if location is None or location.organization_id != organization.id:
        raise provisioning.ProvisioningError("location", _("Choose a location."))
    package = db.session.get(Package, package_id) if package_id else None
    if package_id and package is None:
        raise provisioning.ProvisioningError("package", _("Choose a package."))
    extension = extension.strip()
    if not number and not extension:
        raise provisioning.ProvisioningError("extension", _("Give at least a phone number or an extension."))
    before = {"package": user.package.name if user.package else None,
              "location": user.location.name if user.location else None,
              "number": user.phone_number.e164 if user.phone_number else None, "extension": user.extension}
    if extension:
        extension = provisioning.check_extension(organization, extension, ignore_user=user)
    chosen = None
    if number:
        chosen = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == number))
        if chosen is None or chosen.location_id != location.id:
            raise provisioning.ProvisioningError("phone_number", _("The number must belong to the chosen location."))
    try:
        with db.session.begin_nested():  # an extension taken meanwhile undoes this change only
            user.package_id = package.id if package else None
            user.location_id = location.id
            user.extension = extension or None
            current = user.phone_number
            if current is None or chosen is None or current.id != chosen.id:
                provisioning.release_number(user)
                if chosen is not None:
                    provisioning.assign_number(user, chosen)
    except IntegrityError:
        raise provisioning.ProvisioningError(
            "extension", _("Extension %(extension)s is already used.", extension=extension)
        ) from None
    after = {"package": package.name if package else None, "location": location.name, "number": number or None,
             "extension": user.extension}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:  # saving the page as it was changes nothing, and the audit log says nothing of it
        audit.record(organization, "user.changed", user.email, {"changes": changes})
