"""The person's schedules: Settings > Calling > Schedules ("Programmations"). Thin: each route hands a
Scope to the shared handlers in pages.py."""

from __future__ import annotations

from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import i18n
from ..security.access import own_data
from . import pages, services
from .blueprint import bp


PREFIX = "/settings/calling/schedules"


def _scope() -> pages.Scope:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return pages.Scope(owner=user, visible=services.schedules_for_user(user), editable=True,
                       endpoint_prefix="schedules.my_", reader_time_zone=i18n.select_timezone())


@bp.get(PREFIX)
def my_index() -> ResponseReturnValue:
    return pages.index(_scope())


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
def my_new() -> ResponseReturnValue:
    return pages.new(_scope())


@bp.route(f"{PREFIX}/import", methods=["GET", "POST"])
def my_import() -> ResponseReturnValue:
    return pages.import_(_scope())


@bp.route(f"{PREFIX}/<int:schedule_id>", methods=["GET", "POST"])
@own_data
def my_detail(schedule_id: int) -> ResponseReturnValue:
    return pages.detail(_scope(), schedule_id)


@bp.post(f"{PREFIX}/<int:schedule_id>/delete")
@own_data
def my_delete(schedule_id: int) -> ResponseReturnValue:
    return pages.delete(_scope(), schedule_id)


@bp.get(f"{PREFIX}/<int:schedule_id>/export.ics")
@own_data
def my_export(schedule_id: int) -> ResponseReturnValue:
    return pages.export(_scope(), schedule_id)


@bp.route(f"{PREFIX}/<int:schedule_id>/events/new", methods=["GET", "POST"])
@own_data
def my_event_new(schedule_id: int) -> ResponseReturnValue:
    return pages.event(_scope(), schedule_id)


@bp.route(f"{PREFIX}/<int:schedule_id>/events/<int:event_id>", methods=["GET", "POST"])
@own_data
def my_event(schedule_id: int, event_id: int) -> ResponseReturnValue:
    return pages.event(_scope(), schedule_id, event_id)


@bp.post(f"{PREFIX}/<int:schedule_id>/events/<int:event_id>/delete")
@own_data
def my_event_delete(schedule_id: int, event_id: int) -> ResponseReturnValue:
    return pages.event_delete(_scope(), schedule_id, event_id)
