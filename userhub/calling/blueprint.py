"""The calling area's blueprint: made here, its routes attached by importing the view modules.

Only ``web.register_blueprints`` imports this module, so that importing any other module of the area
(models, services) never loads its views."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from ..schedules.services import register_schedule_usage
from .services import schedule_uses

bp = Blueprint("calling", __name__)


def _use_schedules(_state: BlueprintSetupState) -> None:
    """Tell the schedules area where schedules are used, once the app is set up (not at import time),
    so that a schedule named by a rule is never deleted."""
    register_schedule_usage(schedule_uses)


bp.record_once(_use_schedules)

from . import views, admin_views  # noqa: E402,F401  (routes attach to bp)
