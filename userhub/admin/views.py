"""Routes of the admin area: the users list, a user's page, invitations, deletion, settings."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_login import current_user
from wtforms.fields import SelectChoice

from ..accounts.provisioning import ProvisioningError
from ..errors import show_on
from ..extensions import db
from ..forms import options, status_of
from ..i18n import gettext as _, ngettext
from ..security.access import admin_required, can_change_users
from . import deletion, hooks, invitations, jobs, locations
from . import users as user_service
from .context import (
    CHANGE_USERS,
    FULL_ONLY,
    READ_AUDIT,
    OrganizationNotChosen,
    current_organization,
    own_user,
    user_query_from_args,
)
from .forms import ConfirmForm, SettingsForm, UserCallingForm
from .blueprint import bp


@bp.app_errorhandler(OrganizationNotChosen)  # app-wide: admin pages of other areas need a site too
def _choose_first(_error: OrganizationNotChosen) -> ResponseReturnValue:
    flash(_("Select the site first."), "info")
    return redirect(url_for("admin.choose_organization"))


@bp.context_processor
def _admin_helpers() -> dict[str, object]:
    role = getattr(current_user, "admin_role", None)
    return {"can_change": can_change_users(current_user), "is_full_admin": role == "full"}


@bp.app_context_processor
def _admin_menu() -> dict[str, object]:
    # App-wide: the admin layout's menu is also drawn by admin pages of other areas (calling, schedules, voicemail).
    return {"reads_audit": getattr(current_user, "admin_role", None) in READ_AUDIT}


@bp.route("/users", endpoint="users")
@admin_required()
def users_list() -> ResponseReturnValue:
    organization = current_organization()
    page = user_service.list_users(organization, user_query_from_args())
    if page.total_is_exact:
        count_label = ngettext("%(num)d user", "%(num)d users", page.total)
    else:
        count_label = _("More than %(count)s users", count=format_decimal(user_service.COUNT_CAP))
    numbers = user_service.page_numbers(page.near, page.pages) if page.pages and page.pages > 1 else []
    return render_template("admin/users.html", page=page, count_label=count_label, organization=organization,
                           locations=user_service.locations(organization), confirm=ConfirmForm(),
                           page_numbers=numbers, page_sizes=user_service.PAGE_SIZES,
                           default_size=user_service.PAGE_SIZE)


def _calling_form(user, form: UserCallingForm | None = None) -> UserCallingForm:  # type: ignore[no-untyped-def]
    organization = current_organization()
    form = form or UserCallingForm(
        package=str(user.package_id or ""), location=str(user.location_id or ""),
        number=user.phone_number.e164 if user.phone_number else "", extension=user.extension or "")
    form.package.choices = options([("", _("None")), *((str(p.id), p.name) for p in user_service.packages())])
    form.location.choices = options([("", _("Select a location")),
                                     *((str(loc.id), loc.name) for loc in user_service.locations(organization))])
    free = locations.free_numbers_by_location(organization)
    own = user.phone_number.e164 if user.phone_number else None
    groups: dict[str, list[SelectChoice]] = {}
    for loc in user_service.locations(organization):
        numbers = list(free.get(loc.id, []))
        if own and user.phone_number.location_id == loc.id:
            numbers = sorted(numbers + [own])
        groups[loc.name] = options((n, n) for n in numbers)
    form.number.choices = {_("None"): options([("", _("None"))]), **groups}
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required(change=CHANGE_USERS)
def user_page(user_id: int) -> ResponseReturnValue:
    user = own_user(user_id)
    form = None
    if can_change_users(current_user):
        form = _calling_form(user, UserCallingForm() if request.method == "POST" else None)
        if request.method == "POST" and form.validate_on_submit():
            try:
                user_service.update_calling(user, package_id=int(form.package.data or 0) or None,
                                     location_id=int(form.location.data or 0) or None,
                                     number=form.number.data or "", extension=form.extension.data or "")
            except ProvisioningError as exc:
                db.session.rollback()
                user = own_user(user_id)
                form = _calling_form(user, form)
                show_on(form, exc.renamed({"phone_number": "number"}), field="extension")
            else:
                flash(_("The changes are saved."), "success")
                return redirect(url_for("admin.user_page", user_id=user.id))
    return render_template("admin/user.html", user=user, form=form, confirm=ConfirmForm(),
                           **hooks.user_page_sections(user, request.args)), status_of(form)


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@admin_required(*CHANGE_USERS)
def resend_invitation(user_id: int) -> ResponseReturnValue:
    user = own_user(user_id)
    if ConfirmForm().validate_on_submit() and invitations.resend(user):
        flash(_("A new activation email is on its way to %(email)s.", email=user.email), "success")
    else:
        flash(_("%(email)s has already activated their account.", email=user.email), "info")
    return redirect(request.referrer if request.referrer and "/admin/" in request.referrer
                    else url_for("admin.user_page", user_id=user.id))


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
@admin_required(*CHANGE_USERS)
def delete_user(user_id: int) -> ResponseReturnValue:
    user = own_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        email = user.email
        try:
            deletion.delete_user(user, current_user)
        except deletion.DeletionRefused as exc:
            flash(str(exc), "error")
            return redirect(url_for("admin.user_page", user_id=user_id))
        flash(_("%(email)s has been deleted.", email=email), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/delete_user.html", user=user, form=form), status_of(form)


@bp.route("/invitations", methods=["GET", "POST"])
@admin_required(*CHANGE_USERS)
def send_invitations() -> ResponseReturnValue:
    organization = current_organization()
    form = ConfirmForm()
    if form.validate_on_submit():
        job = invitations.invite_all(organization)
        jobs.start(job)
        flash(ngettext("Invitations are being sent to %(num)d user.",
                       "Invitations are being sent to %(num)d users.", job.total), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/invitations.html", form=form, organization=organization,
                           pending=invitations.pending_count(organization)), status_of(form)


@bp.route("/settings", methods=["GET", "POST"])
@admin_required(change=FULL_ONLY)
def settings() -> ResponseReturnValue:
    organization = current_organization()
    form = SettingsForm(activation_emails=organization.activation_emails)
    if form.validate_on_submit():
        invitations.set_activation_emails(organization, form.activation_emails.data)
        flash(_("The settings are saved."), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, organization=organization), status_of(form)
