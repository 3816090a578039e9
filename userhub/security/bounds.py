"""Numbers and dates that come from a URL or a query string, kept within what the database can hold.

An id past PostgreSQL's ``integer`` (2**31 - 1) makes the driver raise instead of finding nothing, and a
date far in the future overflows date arithmetic. Such values name nothing that exists, so they are
answered like any unknown page or argument: the ``int`` URL converter refuses them (404), query
arguments read with :func:`query_int` fall back to their default, dates outside :data:`FIRST_DAY` ..
:data:`LAST_DAY` are refused by the forms that read them.
"""

from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter, Map

ID_MAX = 2**31 - 1  # PostgreSQL integer, the type of every id column
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a positive database integer, anything else is not a page (404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = ID_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def query_int(value: str) -> int:
    """``request.args.get(name, default, type=query_int)``: a number from 0 to :data:`ID_MAX`; anything else
    raises ValueError, so that the argument's default is used."""
    number = int(value)
    if not 0 <= number <= ID_MAX:
        raise ValueError(value)
    return number


def register(map_: Map) -> None:
    map_.converters["int"] = IdConverter
