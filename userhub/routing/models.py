"""Tables of the routing area (imported by userhub.models so that Alembic sees them)."""
