"""The admin area's blueprint: made here, its routes attached by importing the view modules.

Only ``web.register_blueprints`` imports this module, so that importing any other module of the area
(models, services) never loads its views."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views, views_invitations, views_locations, views_reports, views_wizard  # noqa: E402,F401  (routes attach to bp)
from . import cli  # noqa: E402,F401  (CLI commands)
