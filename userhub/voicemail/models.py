"""Tables of the voicemail area (imported by userhub.models so that Alembic sees them)."""
