"""What the person's pages and the administrators' pages share: one set of handlers, given a Scope that says
whose schedules are shown, which of them may be changed, and where the links go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date

from ..accounts.models import User
from ..errors import DomainError, show_on
from ..forms import status_of
from ..i18n import gettext as _
from ..organizations.models import Location
from ..timeutil import utcnow
from . import services
from .describe import describe_repeat, describe_when
from .forms import ConfirmForm, EventForm, ImportForm, NewScheduleForm, ScheduleForm
from .ical import MAX_ICS_BYTES, IcsRejected, export_schedule, read_ics
from .models import Schedule, ScheduleEvent
from .weekview import next_occurrence_day, week_start, week_view


@dataclass
class Scope:
    owner: User | Location
    visible: list[Schedule]  # what the pages list
    editable: bool  # may the reader change the owner's schedules
    endpoint_prefix: str  # "schedules.my_" or "schedules.location_"
    url_args: dict[str, Any] = field(default_factory=dict)
    reader_time_zone: str = "UTC"
    base_template: str = "settings/_layout.html"

    @property
    def personal(self) -> bool:
        return isinstance(self.owner, User)

    def url(self, name: str, **kwargs: Any) -> str:
        return url_for(self.endpoint_prefix + name, **self.url_args, **kwargs)

    def own(self, schedule: Schedule) -> bool:
        if isinstance(self.owner, User):
            return schedule.user_id == self.owner.id
        return schedule.location_id == self.owner.id

    def can_change(self, schedule: Schedule) -> bool:
        return self.editable and self.own(schedule)

    def find(self, schedule_id: int, change: bool = False) -> Schedule:
        """A schedule this page may show (and change); 404 for any other, so ids reveal nothing."""
        schedule = next((s for s in self.visible if s.id == schedule_id), None)
        if schedule is None or (change and not self.can_change(schedule)):
            abort(404)
        return schedule

    def find_event(self, schedule: Schedule, event_id: int) -> ScheduleEvent:
        event = next((e for e in schedule.events if e.id == event_id), None)
        if event is None:
            abort(404)
        return event


def _page(scope: Scope, body: str, title: str, status: int = 200, **context: object) -> tuple[str, int]:
    html = render_template(
        "schedules/_page.html", scope=scope, body=body, page_title=title, base_template=scope.base_template,
        type_label=services.type_label, describe_when=describe_when, describe_repeat=describe_repeat,
        format_date=format_date, timedelta=timedelta, week_url=_week_url, max_kb=MAX_ICS_BYTES // 1024, **context,
    )
    return html, status


def _week_url(monday: date) -> str:
    return url_for(request.endpoint or "", **(request.view_args or {}), week=monday.isoformat())


def _chosen_week(scope: Scope, shown: list[Schedule]) -> date:
    """The week asked for, else the week in which the shown schedules are next in effect, else this week."""
    try:
        chosen = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        now = utcnow()
        upcoming = [d for s in shown if (d := next_occurrence_day(s, now, scope.reader_time_zone)) is not None]
        chosen = min(upcoming, default=services.today_in(scope.reader_time_zone))
    if not 2000 <= chosen.year <= 2100:
        chosen = services.today_in(scope.reader_time_zone)
    return week_start(chosen)


def index(scope: Scope) -> ResponseReturnValue:
    monday = _chosen_week(scope, scope.visible)
    views = {s.id: week_view(s, monday, scope.reader_time_zone) for s in scope.visible}
    return _page(scope, "schedules/index.html", _("Schedules"), monday=monday, views=views)


def _event_form(scope: Scope, form_class: type, **kwargs: object):  # type: ignore[no-untyped-def]
    form = form_class(**kwargs)
    if not scope.personal:
        form.for_location()
    return form


def new(scope: Scope) -> ResponseReturnValue:
    if not scope.editable:
        abort(403)
    form = _event_form(scope, NewScheduleForm)
    if form.validate_on_submit():
        try:
            schedule = services.create_schedule(scope.owner, form.name.data or "", form.type.data or "", [form.to_input()])
        except services.ScheduleInvalid as exc:
            show_on(form, exc)
        else:
            flash(_("The schedule %(name)s was created.", name=schedule.name), "success")
            return redirect(_back_to_rule() or scope.url("detail", schedule_id=schedule.id))
    return _page(scope, "schedules/new.html", _("Create a schedule"), status_of(form), form=form)


def _back_to_rule() -> str | None:
    """A rule's page that sent the person here to create a schedule ("back"): only a calling rule page of
    this site, never another host."""
    back = request.args.get("back", "")
    if back.startswith("/settings/calling/") and "/rules/" in back and "//" not in back and "\\" not in back:
        return back
    return None


def detail(scope: Scope, schedule_id: int) -> ResponseReturnValue:
    schedule = scope.find(schedule_id)
    form = ScheduleForm(obj=schedule) if scope.can_change(schedule) else None
    if form is not None and request.method == "POST":
        if form.validate_on_submit():
            try:
                services.update_schedule(schedule, form.name.data or "", form.type.data or "")
            except services.ScheduleInvalid as exc:
                show_on(form, exc)
            else:
                flash(_("The schedule was saved."), "success")
                return redirect(scope.url("detail", schedule_id=schedule.id))
    elif request.method == "POST":
        abort(403)
    monday = _chosen_week(scope, [schedule])
    return _page(scope, "schedules/detail.html", schedule.name, status_of(form), schedule=schedule, form=form,
                 confirm=ConfirmForm(), monday=monday, view=week_view(schedule, monday, scope.reader_time_zone))


def delete(scope: Scope, schedule_id: int) -> ResponseReturnValue:
    schedule = scope.find(schedule_id, change=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("confirmed") != "yes":  # the question first, as a page of its own (no JavaScript)
        return _page(scope, "schedules/confirm_delete.html", _("Delete the schedule %(name)s?", name=schedule.name),
                     schedule=schedule, confirm=ConfirmForm())
    try:
        services.delete_schedule(schedule)
    except services.ScheduleInUse as exc:
        flash(_("The schedule %(name)s is used and cannot be deleted. It is used by: %(uses)s.", name=schedule.name,
                uses="; ".join(exc.uses)), "error")
        return redirect(scope.url("detail", schedule_id=schedule_id))
    flash(_("The schedule was deleted."), "success")
    return redirect(scope.url("index"))


def event(scope: Scope, schedule_id: int, event_id: int | None = None) -> ResponseReturnValue:
    schedule = scope.find(schedule_id, change=True)
    existing = scope.find_event(schedule, event_id) if event_id is not None else None
    form = _event_form(scope, EventForm)
    if existing is not None and request.method != "POST":
        form.fill(services.event_input(existing))
    if form.validate_on_submit():
        data = form.to_input(existing.exdates if existing is not None else ())
        try:
            if existing is None:
                services.add_event(schedule, data)
            else:
                services.update_event(existing, data)
        except services.ScheduleInvalid as exc:
            show_on(form, exc)
        else:
            flash(_("The event was saved."), "success")
            return redirect(scope.url("detail", schedule_id=schedule.id))
    title = _("Edit the event") if existing is not None else _("Add event")
    return _page(scope, "schedules/event.html", title, status_of(form), schedule=schedule, form=form, event=existing,
                 confirm=ConfirmForm())


def event_delete(scope: Scope, schedule_id: int, event_id: int) -> ResponseReturnValue:
    schedule = scope.find(schedule_id, change=True)
    existing = scope.find_event(schedule, event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_event(existing)
    flash(_("The event was deleted."), "success")
    return redirect(scope.url("detail", schedule_id=schedule_id))


def export(scope: Scope, schedule_id: int) -> Response:
    schedule = scope.find(schedule_id)
    response = Response(export_schedule(schedule), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="schedule-{schedule.id}.ics"'
    return response


def import_(scope: Scope) -> ResponseReturnValue:
    if not scope.editable:
        abort(403)
    form = ImportForm()
    problems = []
    too_large = False
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            show_on(form, DomainError(_("Choose an iCalendar file (.ics)."), field="file"))
        else:
            content = upload.stream.read(_ics_limit() + 1)
            too_large = len(content) > _ics_limit()
            try:
                name, events = read_ics(content, scope.personal, _owner_time_zone(scope))
                schedule = services.create_schedule(scope.owner, form.name.data or name, form.type.data or "", events)
            except IcsRejected as exc:
                problems = exc.problems
                show_on(form, exc)
            except services.ScheduleInvalid as exc:
                show_on(form, exc)
            else:
                flash(_("The schedule %(name)s was imported with %(count)d events.", name=schedule.name,
                        count=len(schedule.events)), "success")
                return redirect(scope.url("detail", schedule_id=schedule.id))
    status = 413 if too_large else status_of(form)
    return _page(scope, "schedules/import.html", _("Import a schedule"), status, form=form, problems=problems)


def _ics_limit() -> int:
    return MAX_ICS_BYTES


def _owner_time_zone(scope: Scope) -> str:
    return services.owner_time_zone(scope.owner)
