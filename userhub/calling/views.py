"""Routes of the calling area."""

from . import bp  # noqa: F401
