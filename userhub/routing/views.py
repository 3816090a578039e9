"""Routes of the routing area."""

from . import bp  # noqa: F401
