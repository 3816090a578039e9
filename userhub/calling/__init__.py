"""Settings > Calling > Call settings: one small unit per calling feature on shared machinery.

- registry.py   Feature: key, label, access key, typed values (dataclass with the reference defaults),
                FlaskForm, template, overview summary, checks. features/<name>.py declare and register one.
- numbers.py    the one number field: parsed with the location's country, E.164 or an existing extension,
                never the user's own number or extension; shown in the reader's format.
- criteria.py   criteria of reference section 1 (table calling_criteria; schedule_id references a personal
                or location schedule, which the schedules area then refuses to delete).
- services.py   load (3 queries whatever the number of features and rules), save (version check, history),
                criteria_using_schedule(schedule_id).
- access.py     feature access: organization default, user override, open when no row.
"""

from flask import Blueprint

bp = Blueprint("calling", __name__)


def _use_schedules(state) -> None:  # type: ignore[no-untyped-def]
    """Tell the schedules area where schedules are used, once the app is set up (not at import time),
    so that a schedule named by a rule is never deleted."""
    from ..schedules.services import register_schedule_usage
    from .criteria import schedule_uses

    register_schedule_usage(schedule_uses)


bp.record_once(_use_schedules)

from . import views  # noqa: E402,F401  (routes attach to bp)
