"""What an employee reads about their call settings: the history names each change as the feature's own
page does (a choice by its label, a host by name, a row of numbers with its fields named), and the overview
shows each feature's true state."""

from __future__ import annotations

import html as html_lib

from .conftest import save


def _history(client) -> str:  # type: ignore[no-untyped-def]
    return html_lib.unescape(client.get("/settings/calling/history").get_data(as_text=True))


def test_a_choice_is_shown_by_its_label(me_client):
    assert save(me_client, "block-caller-id", {"privacy": "all"}).status_code == 302
    page = _history(me_client)
    assert "no_privacy" not in page and "→ all<" not in page
    assert ("Off: the caller sees the number the call was forwarded to → "
            "For all calls: every caller sees only my number") in page


def test_a_host_is_shown_by_name(me_client, colleague, admin_client, me):
    data = {"enabled": "y", "host_id": str(colleague.id), "limit_hours": "12"}
    assert save(me_client, "hoteling", data).status_code == 302
    assert f"Host: — → {colleague.name_for_display}" in _history(me_client)
    admin_page = html_lib.unescape(admin_client.get(f"/admin/users/{me.id}/calling/history").get_data(as_text=True))
    assert f"Host: — → {colleague.name_for_display}" in admin_page


def test_a_row_of_numbers_names_its_ring_count(me_client):
    data = {"enabled": "y", "own_devices_rings": "3", "numbers-0-phone_number": "06 33 44 55 66", "numbers-0-rings": "3",
            "numbers-0-answer_confirmation": "y"}
    assert save(me_client, "sequential-ring", data).status_code == 302
    page = _history(me_client)
    assert "06 33 44 55 66 3" not in page
    assert "Numbers: — → 06 33 44 55 66 (Answer confirmation: On, Number of rings: 3)" in page


def test_in_french_the_colon_has_its_no_break_space(me_client):
    assert save(me_client, "block-caller-id", {"privacy": "external"}).status_code == 302
    page = html_lib.unescape(me_client.get("/settings/calling/history",
                                           headers={"Accept-Language": "fr"}).get_data(as_text=True))
    assert "\u00a0: " in page and "no_privacy" not in page


def test_diverting_filtered_calls_shows_the_executive_assistant_feature_on(me_client):
    """Saving "Divert the calls my executives filter" left the overview at "Executive Assistant: Off"."""
    import re

    data = {"forward_filtered_calls": "y", "forward_to": "06 34 33 32 11"}
    assert save(me_client, "executive-assistant", data).status_code == 302
    page = me_client.get("/settings/calling").get_data(as_text=True)
    row = re.search(r'<tr[^>]* data-feature="executive-assistant">.*?</tr>', page, re.DOTALL)
    assert row is not None
    assert 'class="state state-on"' in row.group(0), row.group(0)
    assert "filtered calls diverted to 06 34 33 32 11" in row.group(0)


def test_each_calling_page_is_named_by_its_h1(me_client):
    """One heading pattern: the h1 names the page ("Call Forwarding"), not the area ("Calling")."""
    import re

    for url, name in (("/settings/calling", "Call settings"), ("/settings/calling/call-forwarding", "Call Forwarding")):
        page = me_client.get(url).get_data(as_text=True)
        assert re.findall(r"<h1>(.*?)</h1>", page) == [name], url
