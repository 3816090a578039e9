"""The Calling overview: "Where will my call go?" is found from the top, its steps link to their settings,
Do Not Disturb "on" is not shown as good news, and Do Not Disturb and "forward all calls" switch from here
through the same save as their pages (version, history, loop check)."""

from __future__ import annotations

import re

from sqlalchemy import select

from userhub.calling.models import CallingHistory
from userhub.extensions import db

from .conftest import save

OVERVIEW = "/settings/calling"


def _switch_form(html: str, key: str) -> dict[str, str]:
    form = re.search(rf'<form method="post" action="/settings/calling/switch/{key}".*?</form>', html, re.S)
    assert form, key
    return dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form.group(0)))


def test_the_route_panel_is_linked_from_the_top_and_its_steps_link_to_their_settings(me_client, me) -> None:
    save(me_client, "do-not-disturb", {"enabled": "y"})
    html = me_client.get(OVERVIEW).get_data(as_text=True)
    jump, table = html.index('<a href="#routing">'), html.index('class="table calling-overview')
    assert jump < table and 'id="routing"' in html
    steps = html[html.index('data-testid="routing-panel"'):]
    assert re.search(r'data-feature="do_not_disturb".*?<a href="/settings/calling/do-not-disturb">', steps, re.S)


def test_do_not_disturb_on_is_not_shown_in_the_success_colour(me_client) -> None:
    save(me_client, "do-not-disturb", {"enabled": "y"})
    html = me_client.get(OVERVIEW).get_data(as_text=True)
    row = re.search(r'<tr[^>]* data-feature="do-not-disturb">.*?</tr>', html, re.S).group(0)
    assert "state-attention" in row and "state-on" not in row
    waiting = re.search(r'<tr[^>]* data-feature="call-waiting">.*?</tr>', html, re.S).group(0)
    assert "state-on" in waiting  # good news keeps the success colour


def test_do_not_disturb_switches_from_the_overview_through_the_save_service(me_client, me, stored) -> None:
    html = me_client.get(OVERVIEW).get_data(as_text=True)
    data = _switch_form(html, "do-not-disturb")
    assert data == {"on": "1", "version": "0"}
    response = me_client.post("/settings/calling/switch/do-not-disturb", data=data)
    assert response.status_code == 302 and response.location.endswith(OVERVIEW)
    state = stored(me, "do-not-disturb")
    assert state.values.enabled is True and state.version == 1
    assert db.session.scalars(select(CallingHistory).where(CallingHistory.feature == "do-not-disturb")).all()
    # The same form posted again is stale: nothing changes.
    assert me_client.post("/settings/calling/switch/do-not-disturb", data=data).status_code == 302
    assert stored(me, "do-not-disturb").version == 1
    off = _switch_form(me_client.get(OVERVIEW).get_data(as_text=True), "do-not-disturb")
    assert off == {"on": "0", "version": "1"}
    me_client.post("/settings/calling/switch/do-not-disturb", data=off)
    assert stored(me, "do-not-disturb").values.enabled is False
    assert me_client.post("/settings/calling/switch/do-not-disturb", data={"on": "maybe", "version": "2"}).status_code == 400
    assert me_client.post("/settings/calling/switch/call-waiting", data={"on": "1", "version": "0"}).status_code == 404


def test_forward_all_needs_a_saved_number_else_links_to_its_page(me_client, me, stored) -> None:
    html = me_client.get(OVERVIEW).get_data(as_text=True)
    assert 'action="/settings/calling/switch/call-forwarding"' not in html
    assert re.search(r'data-switch="call-forwarding".*?<a href="/settings/calling/call-forwarding">', html, re.S)
    refused = me_client.post("/settings/calling/switch/call-forwarding", data={"on": "1", "version": "0"})
    assert refused.status_code == 302 and refused.location.endswith("/settings/calling/call-forwarding")
    assert stored(me, "call-forwarding").version == 0
    save(me_client, "call-forwarding", {"always_destination": "06 34 33 32 11", "no_answer_rings": "3"})
    data = _switch_form(me_client.get(OVERVIEW).get_data(as_text=True), "call-forwarding")
    assert me_client.post("/settings/calling/switch/call-forwarding", data=data).status_code == 302
    state = stored(me, "call-forwarding")
    assert state.values.always_enabled is True and state.values.always_destination == "+33634333211"
    assert state.version == 2


def test_a_switch_without_its_csrf_token_changes_nothing(app, me_client, me, stored) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    html = me_client.get(OVERVIEW).get_data(as_text=True)
    assert re.search(r'action="/settings/calling/switch/do-not-disturb".*?name="csrf_token"', html, re.S)
    response = me_client.post("/settings/calling/switch/do-not-disturb", data={"on": "1", "version": "0"})
    assert response.status_code == 400 and stored(me, "do-not-disturb").version == 0
