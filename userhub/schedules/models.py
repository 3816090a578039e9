"""Tables of the schedules area (imported by userhub.models so that Alembic sees them)."""
