"""Routes for billing, the audit log, CSV export and import, job progress, and the partner's site choice."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..i18n import gettext as _
from ..security.access import admin_required
from ..security.bounds import FIRST_DAY, LAST_DAY, query_int
from ..timeutil import utcnow
from . import audit, billing, imports, jobs, tables
from .blueprint import bp
from .context import (
    CHANGE_USERS,
    READ_AUDIT,
    choose_organization,
    current_organization,
    home_organization,
    managed_organizations,
    own_job,
    user_query_from_args,
)
from .forms import ImportForm, PeriodForm


def _period() -> tuple[PeriodForm, object, object]:
    first, last = billing.default_period(utcnow().date())
    form = PeriodForm(request.args, start=first, end=last)
    # Days the report can count (far dates overflow date arithmetic); otherwise the default period.
    if request.args and form.validate() and FIRST_DAY <= form.start.data <= form.end.data <= LAST_DAY:
        first, last = form.start.data, form.end.data
    return form, first, last


@bp.route("/billing")
@admin_required(*READ_AUDIT)
def billing_report() -> ResponseReturnValue:
    form, first, last = _period()
    lines = billing.report(current_organization(), first, last)  # type: ignore[arg-type]
    return render_template("admin/billing.html", form=form, lines=lines, first=first, last=last)


@bp.route("/billing.csv")
@admin_required(*READ_AUDIT)
def billing_csv() -> ResponseReturnValue:
    _form, first, last = _period()
    body = billing.report_csv(billing.report(current_organization(), first, last),  # type: ignore[arg-type]
                              _export_format())
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="billing-{first}-{last}.csv"'})


def _export_format() -> str:
    """?format=comma for plain comma UTF-8; anything else gets the French Excel default."""
    return tables.COMMA if request.args.get("format") == tables.COMMA else tables.EXCEL_FR


@bp.route("/audit")
@admin_required(*READ_AUDIT)
def audit_log() -> ResponseReturnValue:
    page = audit.events(current_organization(), request.args.get("page", 1, type=query_int))
    return render_template("admin/audit.html", page=page, actions=audit.ACTIONS, describe=audit.describe)


@bp.route("/users/export.csv")
@admin_required()
def export_users() -> ResponseReturnValue:
    rows = imports.export_rows(current_app._get_current_object(), current_organization().id,  # type: ignore[attr-defined]
                               user_query_from_args(), fmt=_export_format())
    return Response(rows, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="users.csv"'})


@bp.route("/users/import", methods=["GET", "POST"])
@admin_required(*CHANGE_USERS)
def import_users() -> ResponseReturnValue:
    form = ImportForm()
    problems: list[tuple[int, str]] = []
    if form.validate_on_submit():
        organization = current_organization()
        checked = imports.check_file(organization, form.file.data.read(), form.file.data.filename or "")
        if checked.problems:
            problems = checked.problems
        else:
            job = imports.start_import(organization, checked)
            jobs.start(job)
            return redirect(url_for("admin.job_page", job_id=job.id))
    status = 400 if problems or form.errors else 200
    return render_template("admin/import.html", form=form, problems=problems, columns=imports.COLUMNS), status


@bp.route("/jobs/<int:job_id>")
@admin_required()
def job_page(job_id: int) -> ResponseReturnValue:
    job = own_job(job_id)
    return render_template("admin/job.html", job=job, failures=jobs.failures(job),
                           progress=jobs.progress(job, utcnow()))


@bp.route("/organization", methods=["GET", "POST"], endpoint="choose_organization")
@admin_required()
def choose_organization_page() -> ResponseReturnValue:
    own = home_organization()
    others = [org for org in managed_organizations(current_user) if org.id != own.id]
    error = None
    if request.method == "POST":
        # Only the ids offered on the page are accepted, and nothing sent is ever looked up (a number beyond
        # the database's integers was a 500). Another id: 404, as for any organization that is not yours.
        value = request.form.get("organization", "").strip()
        offered = {str(org.id): org for org in [own, *others]}
        if value in offered:
            organization = choose_organization(current_user, offered[value].id)
            flash(_("You now work in %(name)s.", name=organization.name), "success")
            return redirect(url_for("admin.users"))
        if value.isascii() and value.isdigit():
            abort(404)
        error = _("Choose a site from the list.")
    return render_template("admin/choose_organization.html", organizations=others, own=own,
                           error=error), 400 if error else 200

