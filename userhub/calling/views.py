"""Settings > Calling > Call settings: the overview, one page per feature, the history.
Thin: load the user's state, let the feature read and check its form, save through the service."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from ..errors import show_on
from ..i18n import gettext as _
from ..security.access import own_data
from . import hooks, registry, services
from . import saved_criteria as crit
from .blueprint import bp
from .saved_criteria import Criterion
from .history import render_changes
from .numbers import check_numbers, region_of
from .feature import Feature, FeatureForm



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
@own_data
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
        services.save(owner, feature, feature.read(form), _posted_criteria(state),
                      _version(form), actor=owner)
    except services.AccessDenied:
        abort(403)
    except hooks.SaveRefused as refused:  # e.g. the forwarding would send calls round in a circle
        show_on(form, refused)
        return _render(feature, form, state, owner, status=400)
    except services.StaleVersion as stale:
        state = services.load(owner, feature).states[key]
        return _render(feature, _filled_form(feature, state, owner), state, owner, status=stale.status, conflict=True)
    flash(_("%(feature)s: your changes were saved.", feature=feature.label), "success")
    return redirect(url_for(".feature_page", key=key))


@bp.route("/settings/calling/<key>/rules/new", methods=["GET", "POST"])
@bp.route("/settings/calling/<key>/rules/<int(min=0):index>", methods=["GET", "POST"])
@own_data
def rule_page(key: str, index: int | None = None) -> ResponseReturnValue:
    """Add a rule (no index) or change one, on its own page; saved with the feature (same version check)."""
    feature, kind, owner, state = _rules_feature(key, index)
    if request.method != "POST":
        form = _drafted_rule_form(kind, owner) or _filled_rule_form(feature, state, owner, index)
        return _render_rule(feature, form, state, owner, index)
    if not state.allowed:
        abort(403)
    if request.form.get("action") == "new_schedule":  # "Create a schedule": the rule being typed waits
        _keep_rule_draft()
        return redirect(url_for("schedules.my_new", back=request.path))
    form = crit.RuleForm(formdata=request.form)
    crit.configure(form, kind, owner)
    valid = form.validate()
    valid = check_numbers(form, owner) and valid
    if not (crit.check_rule(form) and valid):
        return _render_rule(feature, form, state, owner, index, status=400)
    rule = crit.read(form, kind)
    if rule is None:  # never: check_rule wants a name
        abort(400)
    criteria = list(state.criteria)
    if index is None:
        criteria.append(rule)
    else:
        criteria[index] = rule
    try:
        _save_rules(feature, owner, state, criteria, form)
    except hooks.SaveRefused as loop:  # e.g. a selective forward to someone who forwards back
        show_on(form, loop, field="forward_to" if kind.forward_to else "name")
        return _render_rule(feature, form, state, owner, index, status=400)
    except services.StaleVersion as stale:
        current = services.load(owner, feature).states[key]
        shown = index if index is not None and index < len(current.criteria) else None
        return _render_rule(feature, _filled_rule_form(feature, current, owner, shown), current, owner, index,
                            status=stale.status, conflict=True)
    flash(_("The rule %(name)s was saved.", name=rule.name), "success")
    return redirect(url_for(".feature_page", key=key))


@bp.route("/settings/calling/<key>/rules/<int(min=0):index>/delete", methods=["GET", "POST"])
@own_data
def delete_rule(key: str, index: int) -> ResponseReturnValue:
    """Deleting a rule asks first: a confirmation page, then a POST with the version it was shown with."""
    feature, _kind, owner, state = _rules_feature(key, index)
    rule = state.criteria[index]
    form = crit.DeleteRuleForm(formdata=request.form if request.method == "POST" else None)
    if request.method != "POST":
        form.version.data = str(state.version)
        return _render_delete(feature, form, rule, index, state)
    if not state.allowed:
        abort(403)
    if not form.validate():
        return _render_delete(feature, form, rule, index, state, status=400)
    criteria = [c for position, c in enumerate(state.criteria) if position != index]
    try:
        _save_rules(feature, owner, state, criteria, form)
    except services.StaleVersion:  # the list as it is now: nothing deleted
        flash(_("These settings were changed elsewhere since you opened this page. Here are the current "
                "values: make your change again."), "error")
        return redirect(url_for(".feature_page", key=key))
    except hooks.SaveRefused as refused:  # the rule stays; the confirmation page says why
        show_on(form, refused)
        return _render_delete(feature, form, rule, index, state, status=400)
    flash(_("The rule %(name)s was deleted.", name=rule.name), "success")
    return redirect(url_for(".feature_page", key=key))


@bp.get("/settings/calling/history")
def history() -> ResponseReturnValue:
    owner = _me()
    return render_template("calling/history.html", entries=render_changes(services.history(owner), owner),
                           person=owner, back=url_for(".overview"))


def _posted_criteria(state: services.FeatureState) -> list[Criterion]:
    """Rules are added, changed and deleted on their own pages; the feature's form keeps them as they are
    (with the version check, they are the rules the form was loaded with)."""
    return list(state.criteria)


def _rules_feature(key: str, index: int | None) -> tuple[Feature, crit.CriteriaKind, Any, services.FeatureState]:
    """The feature (one with rules) and the signed-in person's state; someone else's or a missing rule: 404."""
    feature = registry.get(key) or abort(404)
    kind = feature.criteria or abort(404)
    owner = _me()
    state = services.load(owner, feature).states[key]
    if index is not None and not 0 <= index < len(state.criteria):
        abort(404)
    return feature, kind, owner, state


def _save_rules(feature: Feature, owner: Any, state: services.FeatureState, criteria: list[Criterion],
                form: Any) -> None:
    """The feature's values unchanged, its rules replaced, through the one save (version, loops, history)."""
    try:
        services.save(owner, feature, state.values, criteria, _version(form), actor=owner)
    except services.AccessDenied:
        abort(403)


def _filled_rule_form(feature: Feature, state: services.FeatureState, owner: Any, index: int | None) -> crit.RuleForm:
    form = crit.RuleForm(formdata=None)
    if index is not None:
        crit.fill(form, state.criteria[index], region_of(owner))
    form.version.data = str(state.version)
    if feature.criteria is not None:  # always: only features with rules have rule pages
        crit.configure(form, feature.criteria, owner)
    return form


# A rule being typed when the person goes to create a schedule: kept in the session (bounded: the rule's
# fields only, each cut to what it can hold) and given back once, by the same rule page.
_RULE_DRAFT = "calling_rule_draft"
_DRAFT_FIELDS = ("version", "name", "rule", "schedule", "calls_from", "anonymous_callers", "unavailable_callers",
                 "phone_numbers", "forward_to")
_DRAFT_CHARS = 1000


def _keep_rule_draft() -> None:
    fields = {name: [value[:_DRAFT_CHARS] for value in request.form.getlist(name)[:1]] for name in _DRAFT_FIELDS}
    session[_RULE_DRAFT] = {"path": request.path, "fields": fields}


def _drafted_rule_form(kind: crit.CriteriaKind, owner: Any) -> crit.RuleForm | None:
    """The rule this page was left with for "Create a schedule", if it is this page's (taken once)."""
    draft = session.get(_RULE_DRAFT)
    if not isinstance(draft, dict) or draft.get("path") != request.path:
        return None
    session.pop(_RULE_DRAFT)
    fields = draft.get("fields")
    if not isinstance(fields, dict):
        fields = {}
    form = crit.RuleForm(formdata=MultiDict([(name, str(value)) for name in _DRAFT_FIELDS
                                             for value in fields.get(name, [])[:1]]))
    crit.configure(form, kind, owner)
    return form


def _render_rule(feature: Feature, form: crit.RuleForm, state: services.FeatureState, owner: Any,
                 index: int | None, status: int = 200, conflict: bool = False) -> ResponseReturnValue:
    back = url_for(".rule_page", key=feature.key, index=index) if index is not None else url_for(
        ".rule_page", key=feature.key)
    if index is None or index >= len(state.criteria):
        heading = _("%(feature)s – new rule", feature=feature.label)
    else:  # the saved name: the page names the rule it edits, whatever is being typed
        heading = _("%(feature)s – rule “%(name)s”", feature=feature.label, name=state.criteria[index].name)
    return render_template("calling/rule.html", feature=feature, form=form, allowed=state.allowed, index=index,
                           errors=registry.flat_errors(form), new_schedule=url_for("schedules.my_new", back=back),
                           conflict=conflict, heading=heading), status


def _render_delete(feature: Feature, form: crit.DeleteRuleForm, rule: Criterion, index: int,
                   state: services.FeatureState, status: int = 200) -> ResponseReturnValue:
    return render_template("calling/rule_delete.html", feature=feature, form=form, rule=rule, index=index,
                           allowed=state.allowed), status


def _version(form: FeatureForm | SwitchForm | crit.RuleForm | crit.DeleteRuleForm) -> int:
    try:
        return int(form.version.data or "")
    except ValueError:
        return -1  # never a real version: refused as stale


def _filled_form(feature: Feature, state: services.FeatureState, owner: Any) -> FeatureForm:
    form = feature.make_form(owner)
    feature.fill(form, state.values, state.criteria, state.version, owner)
    return form


def _render(feature: Feature, form: FeatureForm, state: services.FeatureState, owner: Any, status: int = 200,  # type: ignore[no-untyped-def]
            conflict: bool = False):
    context = feature.context(owner, state)
    rules = crit.rows(state.criteria, feature.criteria, owner, region_of(owner)) if feature.criteria else []
    return render_template(feature.template, feature=feature, form=form, allowed=state.allowed, rules=rules,
                           errors=registry.flat_errors(form), conflict=conflict, **context), status

