"""Administration: users, the add-users wizard, locations and numbers, invitations, deletion, imports, billing, audit."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
