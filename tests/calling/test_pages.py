"""Every call settings page opens with the reference defaults, and the overview shows them at a glance
in a fixed number of SQL statements."""

from __future__ import annotations

from sqlalchemy import event, func, select

from userhub.calling import registry
from userhub.calling.models import CallingSetting
from userhub.extensions import db

from .conftest import save

KEYS = [f.key for f in registry.features()]


def test_every_feature_page_opens_with_its_form(me_client):
    for key in KEYS:
        response = me_client.get(f"/settings/calling/{key}")
        assert response.status_code == 200, key
        html = response.get_data(as_text=True)
        assert 'name="version" type="hidden" value="0"' in html and 'name="save"' in html, key


def test_reading_defaults_writes_nothing(me_client, stored, me):
    me_client.get("/settings/calling")
    me_client.get("/settings/calling/call-forwarding")
    assert db.session.scalar(select(func.count()).select_from(CallingSetting)) == 0
    forwarding = stored(me, "call-forwarding").values
    assert forwarding.no_answer_rings == 3 and not forwarding.always_enabled
    assert stored(me, "call-waiting").values.enabled is True
    assert stored(me, "hoteling").values.limit_hours == 12


def test_overview_lists_every_feature_and_the_key_value(me_client):
    save(me_client, "call-forwarding", {"always_enabled": "y", "always_destination": "06 34 33 32 11",
                                        "no_answer_rings": "3"})
    html = me_client.get("/settings/calling").get_data(as_text=True)
    for feature in registry.features():
        assert f'data-feature="{feature.key}"' in html
    assert "All calls to 06 34 33 32 11" in html


def test_overview_speaks_french(me_client):
    me_client.post("/language", data={"locale": "fr"})
    save(me_client, "call-forwarding", {"always_enabled": "y", "always_destination": "+33634333211",
                                        "no_answer_rings": "3"})
    html = me_client.get("/settings/calling").get_data(as_text=True)
    assert "Paramètres d’appel" in html and "Renvoi d’appel" in html and "Sonnerie simultanée" in html


def _statements(client, url: str) -> int:
    count = 0

    def count_it(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", count_it)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count_it)
    return count


def test_overview_statement_count_does_not_grow_with_settings_and_criteria(me_client):
    empty = _statements(me_client, "/settings/calling")
    assert save(me_client, "simultaneous-ring", {"enabled": "y", "numbers-0-phone_number": "06 34 33 32 10"}).status_code == 302
    one_destination = _statements(me_client, "/settings/calling")
    assert one_destination == empty + 1  # who the destinations are: not looked up when there are none
    for key in ("priority-alert", "selective-accept", "call-notify"):
        rules = {}
        for i in range(3):
            rules |= {f"criteria-{i}-name": f"Rule {i}", f"criteria-{i}-rule": "on", f"criteria-{i}-calls_from": "any",
                      f"criteria-{i}-schedule": ""}
        assert save(me_client, key, {"enabled": "y", "email": "jane@example.com", **rules}).status_code == 302
    assert save(me_client, "simultaneous-ring",
                {"enabled": "y", **{f"numbers-{i}-phone_number": f"06 34 33 32 1{i}" for i in range(5)}}).status_code == 302
    full = _statements(me_client, "/settings/calling")
    assert full == one_destination
    assert full <= 8
