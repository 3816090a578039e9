"""Routes of the schedules area."""

from . import bp  # noqa: F401
