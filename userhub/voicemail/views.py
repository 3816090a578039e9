"""Routes of the voicemail area."""

from . import bp  # noqa: F401
