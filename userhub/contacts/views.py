"""Routes of the contacts area."""

from . import bp  # noqa: F401
