"""The "Ajouter des utilisateurs" wizard: Informations de base, Attribuer des numéros, Terminer."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..i18n import ngettext
from ..security.access import admin_required
from ..security.bounds import query_int
from . import locations, users, wizard
from .blueprint import bp
from .context import CHANGE_USERS, current_organization


def _render(step: int, rows: list[wizard.Row], mode: str, status: int = 200):  # type: ignore[no-untyped-def]
    organization = current_organization()
    free_numbers = locations.free_numbers_by_location(organization)
    proposals = wizard.proposed_extensions(organization, (n for numbers in free_numbers.values() for n in numbers))
    return render_template(
        f"admin/wizard_step{step}.html", rows=rows, mode=mode, step=step,
        packages=users.packages(), locations=users.locations(organization),
        free_numbers=free_numbers, proposals=proposals,
    ), status


@bp.route("/users/add", methods=["GET", "POST"])
@admin_required(*CHANGE_USERS)
def add_users() -> ResponseReturnValue:
    organization = current_organization()
    if request.method != "POST":  # GET and HEAD only show the first step
        return _render(1, [wizard.Row()], "names")
    mode = request.form.get("mode", "") if request.form.get("mode") in wizard.MODES else "names"
    rows = wizard.parse_rows(request.form)
    action = request.form.get("action", "")
    if action == "add_row":  # the "+" button, without JavaScript
        if len(rows) < wizard.MAX_ROWS:
            rows.append(wizard.Row())
        return _render(1, rows, mode)
    if action == "back":
        return _render(1, rows, mode)
    if action == "next":
        if not wizard.check_people(organization, rows, mode):
            return _render(1, rows, mode, 400)
        return _render(2, rows, mode)
    if action == "finish":
        if not wizard.check_people(organization, rows, mode):
            return _render(1, rows, mode, 400)
        created = wizard.create_batch(organization, rows, mode)
        if created is None:
            return _render(2, rows, mode, 409)
        return redirect(url_for("admin.users_added", user=[user.id for user in created]))
    return _render(1, rows, mode)


@bp.route("/users/added")
@admin_required(*CHANGE_USERS)
def users_added() -> ResponseReturnValue:
    """Step 3, "Terminer": who got which number and extension, and whether an invitation went out."""
    added = wizard.added_summary(current_organization(), request.args.getlist("user", type=query_int))
    message = ngettext("%(num)d user added", "%(num)d users added", len(added))
    return render_template("admin/wizard_step3.html", message=message, added=added, step=3)
