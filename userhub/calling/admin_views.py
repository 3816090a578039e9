"""Administrator pages of the calling area: feature access for the organization and per user, and
a user's settings history. Only people of the organization being administered (``current_organization()``:
a partner's chosen customer) can be reached."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..admin.context import CHANGE_USERS, current_organization, own_user
from ..i18n import gettext as _
from ..security.access import admin_required, can_change_users
from . import access, services
from .blueprint import bp
from .history import render_changes

INHERIT, ALLOW, DENY = "inherit", "allow", "deny"


@bp.route("/admin/calling/access", methods=["GET", "POST"])
@admin_required(change=CHANGE_USERS)  # feature access is part of managing users
def organization_access() -> ResponseReturnValue:
    organization = current_organization()
    if request.method == "POST":
        access.set_organization_defaults(organization, {key: request.form.get(key) == ALLOW for key in access.ACCESS_KEYS})
        flash(_("Feature access saved."), "success")
        return redirect(url_for(".organization_access"))
    current = access.organization_defaults(organization)
    return render_template("calling/admin_access.html", keys=access.ACCESS_KEYS, current=current,
                           can_change=can_change_users(current_user))


@bp.route("/admin/users/<int:user_id>/calling/access", methods=["GET", "POST"])
@admin_required(change=CHANGE_USERS)
def user_access(user_id: int) -> ResponseReturnValue:
    person = own_user(user_id)  # 404 for "does not exist" and "not this organization"
    if request.method == "POST":
        choices: dict[str, bool | None] = {}
        for key in access.ACCESS_KEYS:
            value = request.form.get(key, INHERIT)
            choices[key] = None if value not in (ALLOW, DENY) else value == ALLOW
        access.set_user_overrides(person, choices)
        flash(_("Feature access saved."), "success")
        return redirect(url_for(".user_access", user_id=person.id))
    overrides = access.user_overrides(person)
    current: dict[str, Any] = {k: (INHERIT if k not in overrides else ALLOW if overrides[k] else DENY)
                               for k in access.ACCESS_KEYS}
    return render_template("calling/admin_user_access.html", person=person, keys=access.ACCESS_KEYS,
                           current=current, defaults=access.organization_defaults(current_organization()),
                           can_change=can_change_users(current_user))


@bp.get("/admin/users/<int:user_id>/calling/history")
@admin_required()
def user_history(user_id: int) -> ResponseReturnValue:
    person = own_user(user_id)  # 404 for "does not exist" and "not this organization"
    return render_template("calling/history.html", entries=render_changes(services.history(person), current_user),
                           person=person, back=url_for(".user_access", user_id=person.id))
