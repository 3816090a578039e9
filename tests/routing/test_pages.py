"""The panel on the Calling overview (the employee) and on the user page (the administrator): it shows
where a call goes now, answers the GET form without JavaScript, and lists what to check."""

from __future__ import annotations

import html
from datetime import date

from .builders import MOTHER


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_overview_says_where_a_call_goes_now(jane, set_feature, client_of):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination=MOTHER)
    page = page_text(client_of(jane).get("/settings/calling"))
    assert "Where will my call go?" in page and 'data-testid="routing-panel"' in page
    assert 'data-feature="forward_always" data-outcome="forwarded"' in page
    assert "forwarded to 06 34 33 32 11" in page
    assert '<form class="routing-form card" method="get" action="/settings/calling#routing"' in page


def test_the_form_tries_an_anonymous_caller(jane, set_feature, client_of):
    set_feature(jane, "anonymous-call-rejection", enabled=True)
    client = client_of(jane)
    assert 'data-outcome="rejected"' not in page_text(client.get("/settings/calling"))
    page = page_text(client.get("/settings/calling?caller_kind=anonymous&origin=external&day=2026-11-23&time=10:00"))
    assert "An anonymous call from outside, Monday, November 23, 2026 at 10:00\u202fAM:" in page
    assert 'data-feature="anonymous_rejection" data-outcome="rejected"' in page


def test_a_wrong_number_in_the_form_is_explained_next_to_it(jane, client_of):
    page = page_text(client_of(jane).get("/settings/calling?caller_kind=number&caller=not+a+number"))
    assert "This is not a valid phone number." in page and 'id="caller-error"' in page
    assert "Correct the call below to see where it goes." in page


def test_the_overview_warns_about_a_missing_colleague_and_an_idle_schedule(jane, john, set_feature, client_of):
    from userhub.calling.saved_criteria import Criterion as Rule
    from userhub.extensions import db
    from userhub.schedules.services import EventInput, create_schedule

    past = create_schedule(jane, "Été 2020", "holidays", [EventInput(
        "Vacances", date(2020, 7, 1), date(2020, 7, 31), all_day=True)])
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="3201")
    set_feature(jane, "priority-alert", [Rule("Vacances", schedule_id=past.id, schedule_level="personal",
                                              schedule_type="holidays")], enabled=True)
    john.extension = None
    db.session.commit()
    page = page_text(client_of(jane).get("/settings/calling"))
    assert 'data-testid="routing-warnings"' in page
    assert "Forward when busy: 3201 no longer exists" in page
    assert "Schedule 'Été 2020' is never in effect: the rules that use it never apply" in page


def test_no_warning_when_all_is_well(jane, john, set_feature, client_of):
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="3201")
    assert 'data-testid="routing-warnings"' not in page_text(client_of(jane).get("/settings/calling"))


def test_the_administrator_sees_why_a_user_gets_no_calls(jane, set_feature, admin_client):
    set_feature(jane, "do-not-disturb", enabled=True)
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination=MOTHER)
    page = page_text(admin_client.get(f"/admin/users/{jane.id}"))
    assert "Where will calls to Jane Doe go?" in page
    assert 'data-feature="do_not_disturb"' in page and "forwarded to 06 34 33 32 11" in page
    assert "Jane Doe is already on a call" in page
    assert f'action="/admin/users/{jane.id}#routing"' in page
    tried = page_text(admin_client.get(f"/admin/users/{jane.id}?time=23:00&day=2026-11-22"))
    assert "Sunday, November 22, 2026 at 11:00\u202fPM" in tried


def test_the_administrator_page_speaks_french(jane, admin_client):
    admin_client.post("/language", data={"locale": "fr"})
    page = page_text(admin_client.get(f"/admin/users/{jane.id}"))
    assert "Où vont les appels destinés à Jane Doe\u00a0?" in page and "Jane Doe est déjà en communication" in page


def test_the_administrator_reads_the_route_in_the_third_person(jane, set_feature, admin_client):
    set_feature(jane, "call-waiting", enabled=False)
    page = page_text(admin_client.get(f"/admin/users/{jane.id}?on_call=y"))
    assert "Phones of Jane Doe" in page and "Your phones" not in page
    assert "your phones" not in page and "none of your rules" not in page
    admin_client.post("/language", data={"locale": "fr"})
    french = page_text(admin_client.get(f"/admin/users/{jane.id}"))
    assert "Téléphones de Jane Doe" in french
    assert "Vos téléphones" not in french and "vos téléphones" not in french and "vos règles" not in french


def test_the_employee_still_reads_your_phones(jane, client_of):
    page = page_text(client_of(jane).get("/settings/calling"))
    assert "Your phones" in page and "Phones of Jane Doe" not in page
