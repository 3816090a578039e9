"""The contacts area's blueprint: made here, its routes attached by importing the view modules.

Only ``web.register_blueprints`` imports this module, so that importing any other module of the area
(models, services) never loads its views."""

from flask import Blueprint

bp = Blueprint("contacts", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
