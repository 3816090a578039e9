"""Settings > Calling > Call settings: the overview, one page per feature, the history.
Thin: load the user's state, let the feature read and check its form, save through the service."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..i18n import gettext as _
from ..security.access import own_data
from . import hooks, registry, services
from .blueprint import bp
from .history import render_changes
from .numbers import region_of
from .registry import Feature, FeatureForm



def _me() -> Any:
    return current_user._get_current_object()


@bp.get("/settings/calling")
def overview() -> ResponseReturnValue:
    owner = _me()
    snapshot = services.load(owner)
    region = region_of(owner)
    rows = [
        {"feature": s.feature, "on": s.feature.is_on(s.values), "allowed": s.allowed,
         "summary": s.feature.summary(s.values, s.criteria, region)}
        for s in snapshot.states.values()
    ]
    states = snapshot.states
    switches = {key: _switch(states[key], field) for key, field in SWITCHES.items() if key in states}
    return render_template("calling/overview.html", rows=rows, switches=switches, route_links=_route_links(),
                           **hooks.overview_sections(owner, request.args, snapshot))


# The two settings a person flips most, switchable from the overview: feature key -> the boolean it flips.
SWITCHES = {"do-not-disturb": "enabled", "call-forwarding": "always_enabled"}

# Each step of "Where will my call go?" links to the page of the setting that causes it.
_ROUTE_FEATURE_PAGES = {
    "selective_reject": "selective-reject", "selective_accept": "selective-accept",
    "anonymous_rejection": "anonymous-call-rejection", "selective_forward": "selective-forward",
    "call_notify": "call-notify", "forward_always": "call-forwarding", "forward_busy": "call-forwarding",
    "forward_no_answer": "call-forwarding", "business_continuity": "call-forwarding",
    "executive_filtering": "executive", "do_not_disturb": "do-not-disturb", "sequential_ring": "sequential-ring",
    "simultaneous_ring": "simultaneous-ring", "single_number_reach": "single-number-reach",
    "priority_alert": "priority-alert", "call_waiting": "call-waiting",
}


def _route_links() -> dict[str, str]:
    links = {step: url_for(".feature_page", key=key) for step, key in _ROUTE_FEATURE_PAGES.items()
             if registry.get(key) is not None}
    voicemail = url_for("voicemail.settings")
    return {**links, "voicemail": voicemail, "voicemail_all": voicemail}


class SwitchForm(FlaskForm):
    """One switch of the overview: the state wanted and the version it was shown with (CSRF included)."""
    on = HiddenField()
    version = HiddenField()


def _switch(state: services.FeatureState, field: str) -> dict[str, Any]:
    on = bool(getattr(state.values, field))
    form = SwitchForm(formdata=None, on="0" if on else "1", version=str(state.version))
    # Forwarding all calls needs a number: without a saved one, the overview links to the page instead.
    needs_page = state.feature.key == "call-forwarding" and not on and not state.values.always_destination
    return {"on": on, "allowed": state.allowed, "form": form, "needs_page": needs_page}


@bp.post("/settings/calling/switch/<key>")
def switch(key: str) -> ResponseReturnValue:
    """Turn Do Not Disturb or "forward all calls" on or off from the overview, through the same save as
    the feature's page (access, version, loop check, history)."""
    field = SWITCHES.get(key) or abort(404)
    feature = registry.get(key) or abort(404)
    owner = _me()
    form = SwitchForm()
    if not form.validate_on_submit() or form.on.data not in ("0", "1"):
        abort(400)
    state = services.load(owner, feature).states[key]
    values = replace(state.values, **{field: form.on.data == "1"})
    back = redirect(url_for(".overview"))
    if key == "call-forwarding" and values.always_enabled and not values.always_destination:
        flash(_("Enter the number to forward to on the Call Forwarding page first."), "error")
        return redirect(url_for(".feature_page", key=key))
    try:
        services.save(owner, feature, values, state.criteria, _version(form), actor=owner)
    except services.AccessDenied:
        abort(403)
    except hooks.SaveRefused as refused:  # e.g. the forwarding would send calls round in a circle
        flash(refused.message, "error")
        return back
    except services.StaleVersion:
        flash(_("These settings were changed elsewhere since you opened this page. Here are the current "
                "values: make your change again."), "error")
        return back
    flash(_("%(feature)s: your changes were saved.", feature=feature.label), "success")
    return back


@bp.route("/settings/calling/<key>", methods=["GET", "POST"])
@own_data
def feature_page(key: str) -> ResponseReturnValue:
    feature = registry.get(key) or abort(404)
    owner = _me()
    state = services.load(owner, feature).states[key]
    if request.method != "POST":  # GET and HEAD only show the page
        return _render(feature, _filled_form(feature, state, owner), state, owner)
    if not state.allowed:
        abort(403)
    form = feature.make_form(owner, request.form)
    added = next((name for name in feature.row_lists if f"add-{name}" in request.form), None)
    if added:  # "Add a row" without JavaScript: show the form again with one more blank row
        getattr(form, added).append_entry()
        feature.configure(form, owner)
        return _render(feature, form, state, owner)
    if not feature.validate(form, owner):
        return _render(feature, form, state, owner, status=400)
    try:
        services.save(owner, feature, feature.read(form), feature.read_criteria(form),
                      _version(form), actor=owner)
    except services.AccessDenied:
        abort(403)
    except hooks.SaveRefused as refused:  # e.g. the forwarding would send calls round in a circle
        refused.show_on(form)
        return _render(feature, form, state, owner, status=400)
    except services.StaleVersion:
        flash(_("These settings were changed elsewhere since you opened this page. Here are the current "
                "values: make your change again."), "error")
        state = services.load(owner, feature).states[key]
        return _render(feature, _filled_form(feature, state, owner), state, owner, status=409)
    flash(_("%(feature)s: your changes were saved.", feature=feature.label), "success")
    return redirect(url_for(".feature_page", key=key))


@bp.get("/settings/calling/history")
def history() -> ResponseReturnValue:
    owner = _me()
    return render_template("calling/history.html", entries=render_changes(services.history(owner), owner),
                           person=owner, back=url_for(".overview"))


def _version(form: FeatureForm | SwitchForm) -> int:
    try:
        return int(form.version.data or "")
    except ValueError:
        return -1  # never a real version: refused as stale


def _filled_form(feature: Feature, state: services.FeatureState, owner: Any) -> FeatureForm:
    form = feature.make_form(owner)
    feature.fill(form, state.values, state.criteria, state.version, owner)
    return form


def _render(feature: Feature, form: FeatureForm, state: services.FeatureState, owner: Any, status: int = 200):  # type: ignore[no-untyped-def]
    context = feature.context(owner, state)
    return render_template(feature.template, feature=feature, form=form, allowed=state.allowed,
                           errors=registry.flat_errors(form), **context), status

