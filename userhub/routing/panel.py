"""The view-side helper: from saved settings and the panel's form to what the panel template draws.

Wiring a page is: build ``RoutingSettings`` from the database (see MAPPING.md), then

    form = TryCallForm(request.args, region=country)
    panel = build_panel(settings, form, time_zone, country, utcnow())
    render_template(..., routing_form=form, routing_panel=panel)

and in the template ``{% from "routing/_panel.html" import routing_panel, routing_form %}``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date, format_time
from flask_babel import get_locale

from ..i18n import gettext as _
from .evaluate import evaluate
from .forms import TryCallForm, incoming_call
from ..phones import format_number
from .messages import StepText, describe
from .inputs import ANONYMOUS, SOME_NUMBER, UNAVAILABLE, IncomingCall, RoutingSettings
from .route import Route


@dataclass(frozen=True)
class PanelStep:
    feature: str  # Feature value: CSS hook and test id
    outcome: str  # Outcome value: chooses the icon
    terminal: bool
    text: StepText


@dataclass(frozen=True)
class Panel:
    call: IncomingCall
    route: Route
    sentence: str  # "A call from outside, Monday 23 November 2026 at 10:30:"
    steps: tuple[PanelStep, ...]


def panel_for_call(settings: RoutingSettings, call: IncomingCall, region: str | None,
                   owner: str | None = None) -> Panel:
    """``owner``: the person's name when someone else reads the route (the steps then say "the phones
    of Jeanne", not "your phones")."""
    route = evaluate(settings, call)
    steps = tuple(PanelStep(step.feature.value, step.outcome.value, step.terminal,
                            describe(step, call.caller, region, owner)) for step in route.steps)
    # the call's own wall-clock time, in the user's time zone, whatever the reader's zone
    locale = get_locale()
    when = _("%(day)s at %(time)s", day=format_date(call.at, "full", locale=locale),
             time=format_time(call.at, "short", tzinfo=call.at.tzinfo, locale=locale))
    return Panel(call, route, call_sentence(call, when, region), steps)


def call_sentence(call: IncomingCall, when: str, region: str | None) -> str:
    """Whole sentences per kind of caller, so that each language can phrase them its own way."""
    if call.caller == SOME_NUMBER:
        return _("An internal call, %(when)s:", when=when) if call.internal else \
            _("A call from outside, %(when)s:", when=when)
    if call.caller == ANONYMOUS:
        return _("An anonymous internal call, %(when)s:", when=when) if call.internal else \
            _("An anonymous call from outside, %(when)s:", when=when)
    if call.caller == UNAVAILABLE:
        return _("An internal call without a number, %(when)s:", when=when) if call.internal else \
            _("A call from outside without a number, %(when)s:", when=when)
    number = format_number(call.caller, region)
    return _("An internal call from %(number)s, %(when)s:", number=number, when=when) if call.internal else \
        _("A call from %(number)s, from outside, %(when)s:", number=number, when=when)


def build_panel(settings: RoutingSettings, form: TryCallForm, time_zone: str, region: str | None,
                now: datetime, owner: str | None = None) -> Panel | None:
    """The panel for the call the form describes (by default: a call from outside, now), or None when
    the form has errors (they are set on its fields)."""
    call = incoming_call(form, time_zone, now)
    return None if call is None else panel_for_call(settings, call, region, owner)
