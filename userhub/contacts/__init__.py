"""Settings > Calling > Contacts: speed dials and personal contacts (vCard import and export)."""
