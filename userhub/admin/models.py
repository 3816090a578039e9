"""Tables of the admin area (imported by userhub.models so that Alembic sees them)."""
