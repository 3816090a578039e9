"""Tables of the calling area (imported by userhub.models so that Alembic sees them)."""
