"""Administration: users, the add-users wizard, locations and numbers, invitations, deletion, imports, billing, audit."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views, views_invitations, views_locations, views_reports, views_wizard  # noqa: E402,F401  (routes attach to bp)
from . import billing, cli  # noqa: E402,F401  (package history listener, CLI commands)
