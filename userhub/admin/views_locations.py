"""Routes for locations and their number pools."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from ..errors import show_on
from ..extensions import db
from ..forms import status_of
from ..i18n import gettext as _, ngettext
from ..organizations.services import OrganizationError
from ..security.access import admin_required
from . import locations
from .blueprint import bp
from .context import CHANGE_USERS, FULL_ONLY, current_organization, own_location
from .forms import LocationForm, NumbersForm


@bp.route("/locations")
@admin_required()
def locations_list() -> ResponseReturnValue:
    return render_template("admin/locations.html", summaries=locations.summaries(current_organization()))


@bp.route("/locations/new", methods=["GET", "POST"])
@admin_required(*FULL_ONLY)
def new_location() -> ResponseReturnValue:
    form = LocationForm()
    if form.validate_on_submit():
        try:
            location = locations.create_location(current_organization(), form.name.data, form.country.data,
                                                 form.time_zone.data)
        except OrganizationError as exc:
            db.session.rollback()
            show_on(form, exc, field="name")
        else:
            flash(_("Location %(name)s created.", name=location.name), "success")
            return redirect(url_for("admin.location_page", location_id=location.id))
    return render_template("admin/location_new.html", form=form), status_of(form)


@bp.route("/locations/<int:location_id>")
@admin_required()
def location_page(location_id: int) -> ResponseReturnValue:
    location = own_location(location_id)
    rows = locations.numbers_with_holders(location)
    free = sum(1 for number, _holder in rows if number.user_id is None)
    return render_template("admin/location.html", location=location, rows=rows, free=free, form=NumbersForm())


@bp.route("/locations/<int:location_id>/numbers", methods=["POST"])
@admin_required(*CHANGE_USERS)
def add_numbers(location_id: int) -> ResponseReturnValue:
    location = own_location(location_id)
    form = NumbersForm()
    if form.validate_on_submit():
        try:
            added = locations.add_numbers(location, form.first.data, form.last.data or "")
        except OrganizationError as exc:
            db.session.rollback()
            show_on(form, exc, field="first")
        else:
            flash(ngettext("%(num)d number added.", "%(num)d numbers added.", len(added)), "success")
            return redirect(url_for("admin.location_page", location_id=location_id))
    location = own_location(location_id)
    rows = locations.numbers_with_holders(location)
    free = sum(1 for number, _holder in rows if number.user_id is None)
    return render_template("admin/location.html", location=location, rows=rows, free=free, form=form), 400
