"""The "Where will my call go?" panel in Chromium: readable path, accessible, usable without JavaScript.

The panel is a partial that the Calling overview and the administrator's user page include once the
calling area lands; until then it is rendered here inside the site layout and loaded into the browser
with the site's stylesheets, so axe-core checks it as people will see it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from e2e.axe import assert_accessible
from userhub import create_app
from userhub.routing.forms import TryCallForm
from userhub.routing.model import CallsFrom, Criterion, RoutingSettings, Screening, Voicemail
from userhub.routing.panel import build_panel

CSS = Path(__file__).resolve().parents[1] / "userhub" / "static" / "css"
MOTHER = "+33634333211"
PAGE = """{% extends "base.html" %}
{% from "routing/_panel.html" import routing_panel, routing_form %}
{% block content %}{{ routing_panel(panel) }}{{ routing_form(form, "/try") }}{% endblock %}"""
# Do not disturb, and selective accept for one number: that number still gets through.
SETTINGS = RoutingSettings(
    do_not_disturb=True, voicemail=Voicemail(True, send_busy=True, send_unanswered=True),
    selective_accept=Screening(True, (Criterion("Maman", calls_from=CallsFrom.SELECTED, numbers=frozenset({MOTHER})),)))


def render(lang: str, query: dict[str, str]) -> str:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        form = TryCallForm(MultiDict(query), region="FR")
        panel = build_panel(SETTINGS, form, "Europe/Paris", "FR", datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
        return render_template_string(PAGE, panel=panel, form=form)


def show(page: Any, html: str) -> None:
    page.set_content(html)
    for sheet in ("app.css", "routing.css"):
        page.add_style_tag(content=(CSS / sheet).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_accepted_number_gets_through_do_not_disturb(page: Any, lang: str) -> None:
    show(page, render(lang, {"caller": "06 34 33 32 11"}))
    steps = page.locator("[data-testid=routing-panel] li")
    assert [steps.nth(i).get_attribute("data-feature") for i in range(steps.count())] == [
        "selective_accept", "do_not_disturb", "ringing", "voicemail"]
    assert steps.nth(2).get_attribute("data-outcome") == "rings"
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_other_callers_are_refused_and_errors_are_accessible(page: Any, lang: str) -> None:
    show(page, render(lang, {"caller": "01 84 88 32 01"}))
    assert page.locator("[data-testid=routing-panel] li").last.get_attribute("data-outcome") == "rejected"
    show(page, render(lang, {"caller": "not a number"}))
    assert page.locator("#caller").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
