"""Settings > Calling > Call settings: the overview, one page per feature, the history.
Thin: load the user's state, let the feature read and check its form, save through the service."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

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
    return render_template("calling/overview.html", rows=rows,
                           **hooks.overview_sections(owner, request.args, snapshot))


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


def _version(form: FeatureForm) -> int:
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

