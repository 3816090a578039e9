"""Location schedules ("Company schedules") for administrators: /admin/schedules lists the organization's
locations, /admin/locations/<id>/schedules manages one location's. Full administrators change them; other
administrators see them without forms; another organization's location is a 404."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ..admin.context import current_organization, own_location
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Location
from ..security.access import admin_required
from . import pages, services
from .blueprint import bp

CHANGE_ROLES = ("full",)  # location schedules are telephony configuration, not user management
PREFIX = "/admin/locations/<int:location_id>/schedules"


def _scope(location_id: int) -> pages.Scope:
    location = own_location(location_id)  # of the organization being administered, else 404
    return pages.Scope(owner=location, visible=services.location_schedules(location),
                       editable=current_user.admin_role in CHANGE_ROLES, endpoint_prefix="schedules.location_",
                       url_args={"location_id": location.id}, reader_time_zone=location.time_zone,
                       base_template="schedules/_admin_layout.html")


@bp.get("/admin/schedules")
@admin_required()
def admin_locations() -> ResponseReturnValue:
    locations = db.session.scalars(
        select(Location).where(Location.organization_id == current_organization().id).order_by(Location.name)
    ).all()
    counts = {location.id: len(services.location_schedules(location)) for location in locations}
    return render_template("schedules/admin_locations.html", locations=locations, counts=counts,
                           page_title=_("Location schedules"))


@bp.get(PREFIX)
@admin_required()
def location_index(location_id: int) -> ResponseReturnValue:
    return pages.index(_scope(location_id))


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@admin_required(*CHANGE_ROLES)
def location_new(location_id: int) -> ResponseReturnValue:
    return pages.new(_scope(location_id))


@bp.route(f"{PREFIX}/import", methods=["GET", "POST"])
@admin_required(*CHANGE_ROLES)
def location_import(location_id: int) -> ResponseReturnValue:
    return pages.import_(_scope(location_id))


@bp.route(f"{PREFIX}/<int:schedule_id>", methods=["GET", "POST"])
@admin_required(change=CHANGE_ROLES)
def location_detail(location_id: int, schedule_id: int) -> ResponseReturnValue:
    return pages.detail(_scope(location_id), schedule_id)


@bp.post(f"{PREFIX}/<int:schedule_id>/delete")
@admin_required(*CHANGE_ROLES)
def location_delete(location_id: int, schedule_id: int) -> ResponseReturnValue:
    return pages.delete(_scope(location_id), schedule_id)


@bp.get(f"{PREFIX}/<int:schedule_id>/export.ics")
@admin_required()
def location_export(location_id: int, schedule_id: int) -> ResponseReturnValue:
    return pages.export(_scope(location_id), schedule_id)


@bp.route(f"{PREFIX}/<int:schedule_id>/events/new", methods=["GET", "POST"])
@admin_required(*CHANGE_ROLES)
def location_event_new(location_id: int, schedule_id: int) -> ResponseReturnValue:
    return pages.event(_scope(location_id), schedule_id)


@bp.route(f"{PREFIX}/<int:schedule_id>/events/<int:event_id>", methods=["GET", "POST"])
@admin_required(*CHANGE_ROLES)
def location_event(location_id: int, schedule_id: int, event_id: int) -> ResponseReturnValue:
    return pages.event(_scope(location_id), schedule_id, event_id)


@bp.post(f"{PREFIX}/<int:schedule_id>/events/<int:event_id>/delete")
@admin_required(*CHANGE_ROLES)
def location_event_delete(location_id: int, schedule_id: int, event_id: int) -> ResponseReturnValue:
    return pages.event_delete(_scope(location_id), schedule_id, event_id)
