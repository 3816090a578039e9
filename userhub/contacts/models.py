"""Tables of the contacts area (imported by userhub.models so that Alembic sees them)."""
