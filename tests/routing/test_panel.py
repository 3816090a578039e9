"""The panel and its form: what a person sees, in French and English, and what they typed kept on errors."""

from __future__ import annotations

import re
from datetime import datetime, UTC

from flask import Flask, render_template_string
from werkzeug.datastructures import MultiDict

from userhub.routing.forms import TryCallForm, incoming_call
from userhub.routing.loops import DeadEnd, IdleSchedule
from userhub.routing.messages import warning_text
from userhub.routing.inputs import (
    ANONYMOUS,
    SOME_NUMBER,
    RingNumber,
    RoutingSettings,
    Screening,
    SequentialRing,
    Voicemail,
)
from userhub.routing.panel import build_panel
from userhub.routing.route import Feature

from .builders import CANVASSER, PARIS, numbers_rule

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 10:30 in Paris
SETTINGS = RoutingSettings(
    selective_reject=Screening(True, (numbers_rule("Démarcheurs", CANVASSER),)),
    sequential_ring=SequentialRing(True, numbers=(RingNumber("+33634333211", "Mobile", rings=4),)),
    voicemail=Voicemail(True, send_unanswered=True))
PAGE = ('{% from "routing/_panel.html" import routing_panel, routing_form %}'
        '{{ routing_panel(panel) }}{{ routing_form(form, "/try") }}')


def render(app: Flask, language: str, query: dict[str, str]) -> str:
    with app.test_request_context("/", headers={"Accept-Language": language}):
        form = TryCallForm(MultiDict(query), region="FR")
        panel = build_panel(SETTINGS, form, "Europe/Paris", "FR", NOW)
        return render_template_string(PAGE, panel=panel, form=form)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_the_panel_draws_the_path_in_english(app: Flask) -> None:
    html = render(app, "en", {"caller": "01 23 45 67 89", "day": "2026-11-23", "time": "10:00"})
    text = visible_text(html)
    assert "Where will my call go?" in text
    assert "A call from 01 23 45 67 89, from outside, Monday, November 23, 2026 at 10:00 AM:" in text
    assert re.search(r'<li class="route-step outcome-rejected route-end"\s+data-feature="selective_reject"', html)
    assert "rule 'Démarcheurs' matches 01 23 45 67 89" in text
    assert 'value="01 23 45 67 89"' in html  # the form keeps what was typed


def test_the_panel_in_french_shows_the_current_situation_by_default(app: Flask) -> None:
    html = render(app, "fr", {})
    text = visible_text(html)
    assert "Où va mon appel ?" in text
    assert "Un appel de l’extérieur, lundi 23 novembre 2026 à 10:30 :" in text
    outcomes = re.findall(r'data-outcome="(\w+)"', html)
    assert outcomes == ["rings", "rings", "voicemail"]
    assert "Mobile (06 34 33 32 11) 4 sonneries" in text
    assert "messagerie vocale après 42 s" in text
    assert '<ol class="route">' in html and 'aria-hidden="true"' in html


def test_a_wrong_number_is_explained_next_to_its_field(app: Flask) -> None:
    html = render(app, "fr", {"caller_kind": "number", "caller": "12ab"})
    assert "Ce numéro de téléphone n’est pas valide." in html
    assert 'aria-describedby="caller-hint caller-error"' in html and 'aria-invalid="true"' in html
    assert 'value="12ab"' in html
    assert 'data-testid="routing-panel"' in html and "data-outcome" not in html


def test_a_time_skipped_by_the_clock_change_is_refused(texts_app: Flask) -> None:
    with texts_app.test_request_context("/"):
        form = TryCallForm(MultiDict({"day": "2026-03-29", "time": "02:30", "caller_kind": ANONYMOUS}), region="FR")
        assert incoming_call(form, "Europe/Paris", NOW) is None
        assert form.time.errors


def test_the_form_becomes_an_incoming_call(texts_app: Flask) -> None:
    with texts_app.test_request_context("/"):
        form = TryCallForm(MultiDict({"day": "2026-10-25", "time": "02:30", "caller_kind": "number",
                                      "caller": "06 34 33 32 11", "origin": "internal", "on_call": "y",
                                      "unreachable": "y"}), region="FR")
        call = incoming_call(form, "Europe/Paris", NOW)
    assert call is not None
    assert call.at == datetime(2026, 10, 25, 2, 30, tzinfo=PARIS)
    assert (call.caller, call.internal, call.on_call, call.reachable) == ("+33634333211", True, True, False)


def test_an_empty_form_means_a_call_from_outside_now(texts_app: Flask) -> None:
    with texts_app.test_request_context("/"):
        call = incoming_call(TryCallForm(MultiDict(), region="FR"), "Europe/Paris", NOW)
        only_time = incoming_call(TryCallForm(MultiDict({"caller_kind": "number", "caller": "", "time": "20:15"}),
                                              region="FR"), "Europe/Paris", NOW)
    assert call is not None
    assert (call.at.hour, call.at.minute, call.caller, call.internal) == (10, 30, SOME_NUMBER, False)
    assert only_time is not None and (only_time.at.hour, only_time.caller) == (20, SOME_NUMBER)


def test_the_overview_lists_dead_ends_and_idle_schedules(app: Flask) -> None:
    page = '{% from "routing/_panel.html" import routing_warnings %}{{ routing_warnings(texts) }}'
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        warnings = [DeadEnd(Feature.FORWARD_NO_ANSWER, "299"), IdleSchedule("Noël")]
        texts = [warning_text(warning, "FR") for warning in warnings]
        html = render_template_string(page, texts=texts)
        assert render_template_string(page, texts=[]).strip() == ""
    text = visible_text(html)
    assert "Vérifiez ces paramètres" in text
    assert "Renvoi si pas de réponse : 299 n’existe plus" in text
    assert "La planification « Noël » n’est jamais en vigueur" in text
