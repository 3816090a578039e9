"""The calling area's blueprint, and nothing that needs its views: the view modules import ``bp`` and
attach their routes to it, and the wiring (``web.py``) imports them, so that imports run one way and
importing the area's models or services never loads its views."""

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
