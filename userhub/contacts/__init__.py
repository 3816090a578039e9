"""Settings > Calling > Contacts: speed dials and personal contacts (vCard import and export)."""

from flask import Blueprint

bp = Blueprint("contacts", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
