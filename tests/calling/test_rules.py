"""Rules shared by every feature: numbers, self-forwarding, feature access, the version check,
another person's settings out of reach, history, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from userhub.calling import access, services
from userhub.calling.models import (
    CallingCriterion,
    CallingFeatureAccess,
    CallingHistory,
    CallingSetting,
    ExecutiveAssistant,
)
from userhub.extensions import db

from .conftest import save

BUSY = {"busy_enabled": "y", "no_answer_rings": "3"}


WRONG = [
    ("06 34", "Enter a valid phone number"),
    ("not a number", "Enter a valid phone number"),
    ("4999", "No one in your organization has the extension 4999"),
    ("01 84 88 32 00", "This is your own number"),
    ("+33184883200", "This is your own number"),
    ("3200", "This is your own extension"),
]


def test_wrong_or_own_destinations_are_refused_and_kept_in_the_field(me_client, stored, me):
    for typed, message in WRONG:
        response = save(me_client, "call-forwarding", {**BUSY, "busy_destination": typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, typed
        assert 'busy_destination-error"' in html and 'aria-invalid="true"' in html and f'value="{typed}"' in html
    assert stored(me, "call-forwarding").version == 0


def test_wrong_numbers_in_rows_and_rules_are_refused(me_client, stored, me):
    sim = save(me_client, "simultaneous-ring", {"numbers-0-phone_number": "3200"})
    assert sim.status_code == 400 and "This is your own extension" in sim.get_data(as_text=True)
    rule = save(me_client, "priority-alert", {"criteria-0-name": "X", "criteria-0-rule": "on", "criteria-0-schedule": "",
                                              "criteria-0-calls_from": "select", "criteria-0-phone_numbers": "12"})
    assert rule.status_code == 400 and "12 is not a valid phone number" in rule.get_data(as_text=True)
    assert stored(me, "simultaneous-ring").version == stored(me, "priority-alert").version == 0


def test_forwarding_on_needs_a_destination(me_client):
    response = save(me_client, "call-forwarding", BUSY)
    assert response.status_code == 400 and "Enter the number to forward to." in response.get_data(as_text=True)


def test_numbers_are_shown_in_the_readers_format(me_client, colleague):
    save(me_client, "call-forwarding", {**BUSY, "busy_destination": "+33634333211"})
    html = me_client.get("/settings/calling/call-forwarding").get_data(as_text=True)
    assert 'value="06 34 33 32 11"' in html
    save(me_client, "call-forwarding", {**BUSY, "busy_destination": "+44 20 7946 0018"})
    assert 'value="+44 20 7946 0018"' in me_client.get("/settings/calling/call-forwarding").get_data(as_text=True)


@pytest.mark.parametrize("override", [None, False])
def test_without_feature_access_the_page_is_read_only_and_changes_are_refused(me_client, stored, me, override):
    if override is None:
        access.set_organization_defaults(me.organization, {"callForwarding": False})
    else:
        access.set_user_overrides(me, {"callForwarding": override})
    html = me_client.get("/settings/calling/call-forwarding").get_data(as_text=True)
    assert "has not allowed you to change" in html and 'name="save"' not in html
    response = save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333211"})
    assert response.status_code == 403
    assert stored(me, "call-forwarding").version == 0
    assert "read only" in me_client.get("/settings/calling").get_data(as_text=True)


def test_a_user_override_opens_what_the_organization_closed(me_client, me):
    access.set_organization_defaults(me.organization, {"callForwarding": False})
    access.set_user_overrides(me, {"callForwarding": True})
    assert save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333211"}).status_code == 302


def test_the_second_of_two_tabs_is_refused_and_sees_the_current_values(me_client, stored, me):
    first = save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333211"}, version="0")
    second = save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333212"}, version="0")
    assert first.status_code == 302 and second.status_code == 409
    html = second.get_data(as_text=True)
    # The one stale-page notice of every settings page (voicemail's too), above the current values.
    assert 'id="conflict"' in html and "Your changes were not saved." in html
    assert 'value="06 34 33 32 11"' in html and 'value="1"' in html
    assert stored(me, "call-forwarding").values.busy_destination == "+33634333211"
    assert save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333212"}, version="abc").status_code == 409


def test_the_version_check_holds_in_the_service_too(app, me):
    feature = services.registry.get("call-waiting")
    state = services.load(me, feature).states["call-waiting"]
    assert services.save(me, feature, state.values, [], 0, me) == 1
    with pytest.raises(services.StaleVersion):
        services.save(me, feature, state.values, [], 0, me)


def test_one_user_never_reaches_another_users_settings(me_client, colleague_client, colleague, me, stored):
    save(colleague_client, "call-forwarding", {**BUSY, "busy_destination": "0634333219"})
    html = me_client.get(f"/settings/calling/call-forwarding?user_id={colleague.id}").get_data(as_text=True)
    assert "06 34 33 32 19" not in html and "06 34 33 32 19" not in me_client.get("/settings/calling").get_data(as_text=True)
    save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333211", "user_id": str(colleague.id)})
    assert stored(colleague, "call-forwarding").values.busy_destination == "+33634333219"
    assert stored(me, "call-forwarding").values.busy_destination == "+33634333211"
    for url in (f"/admin/users/{colleague.id}/calling/access", f"/admin/users/{colleague.id}/calling/history"):
        assert me_client.get(url).status_code == 403
    assert "06 34 33 32 19" not in me_client.get("/settings/calling/history").get_data(as_text=True)


def test_history_says_who_changed_what(me_client, me, admin_client):
    save(me_client, "call-forwarding", {**BUSY, "busy_destination": "0634333211"})
    html = me_client.get("/settings/calling/history").get_data(as_text=True)
    assert "When busy – Forward to: — → 06 34 33 32 11" in html and "Jane Doe" in html
    admin_html = admin_client.get(f"/admin/users/{me.id}/calling/history").get_data(as_text=True)
    assert "+33 6 34 33 32 11" in admin_html  # the administrator has no location: international format


def test_administrators_set_access_only_in_their_organization(admin_client, me, app):
    from userhub.accounts.provisioning import create_user
    from userhub.organizations.services import create_organization

    assert admin_client.post("/admin/calling/access", data={"callWaiting": "allow"}).status_code == 302
    assert access.rights(me) == {k: k == "callWaiting" for k in access.ACCESS_KEYS}
    assert admin_client.post(f"/admin/users/{me.id}/calling/access", data={"hoteling": "allow"}).status_code == 302
    assert access.allowed(me, "hoteling") and not access.allowed(me, "bargeIn")
    other = create_user(create_organization("Globex", "https://globex.example.com"), "x@example.com")
    db.session.commit()
    assert admin_client.get(f"/admin/users/{other.id}/calling/access").status_code == 404
    assert admin_client.post(f"/admin/users/{other.id}/calling/access", data={"hoteling": "deny"}).status_code == 404
    assert access.user_overrides(other) == {}


def test_executive_assistants_are_colleagues_and_opt_in(me_client, colleague_client, me, colleague, stored):
    assert save(me_client, "executive", {"enabled": "y", "assistants-0": str(colleague.id), "alerting_mode": "sequential",
                                         "next_assistant_rings": "3", "rollover_action": "voicemail",
                                         "rollover_wait_seconds": "30", "filter_type": "all"}).status_code == 302
    assert stored(me, "executive").values.assistants == [colleague.id]
    html = colleague_client.get("/settings/calling/executive-assistant").get_data(as_text=True)
    assert "Jane Doe" in html and "checked" in html  # opted in by default
    assert save(colleague_client, "executive-assistant", {}).status_code == 302  # opted out
    assert db.session.scalar(select(ExecutiveAssistant.opted_in)) is False
    assert "Assistants: — → John Smith" in me_client.get("/settings/calling/history").get_data(as_text=True)
    refused = save(me_client, "executive", {"enabled": "y", "assistants-0": "999999", "alerting_mode": "sequential",
                                            "next_assistant_rings": "3", "rollover_action": "voicemail",
                                            "rollover_wait_seconds": "30", "filter_type": "all"})
    assert refused.status_code == 400


EXECUTIVE = {"enabled": "y", "alerting_mode": "sequential", "next_assistant_rings": "3", "rollover_action": "voicemail",
             "rollover_wait_seconds": "30", "filter_type": "all", "caller_id_name": "executive_originator",
             "caller_id_number": "executive", "screening_alert": "silent"}


def test_executive_caller_id_for_assistants_and_screening(me_client, me, stored):
    # A custom name or number needs the name or number itself; the typed values stay in the form.
    refused = save(me_client, "executive", {**EXECUTIVE, "caller_id_name": "custom", "caller_id_number": "custom"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Enter the name to show." in html and "Enter the number to show." in html
    assert 'caller_id_custom_name-error"' in html and 'caller_id_custom_number-error"' in html
    assert save(me_client, "executive", {**EXECUTIVE, "caller_id_number": "custom",
                                         "caller_id_custom_number": "not a number"}).status_code == 400
    assert stored(me, "executive").version == 0

    saved = save(me_client, "executive", {
        **EXECUTIVE, "caller_id_name": "custom", "caller_id_custom_name": "  Direction générale ",
        "caller_id_number": "custom", "caller_id_custom_number": "01 84 88 32 00",  # one's own number is fine here
        "screening_enabled": "y", "screening_alert": "ring_splash", "screening_single_number_reach": "y"})
    assert saved.status_code == 302
    values = stored(me, "executive").values
    assert (values.caller_id_name, values.caller_id_custom_name) == ("custom", "Direction générale")
    assert (values.caller_id_number, values.caller_id_custom_number) == ("custom", "+33184883200")
    assert (values.screening_enabled, values.screening_alert) == (True, "ring_splash")
    assert (values.screening_single_number_reach, values.screening_webex_go, values.screening_shared_lines) == (
        True, False, False)
    assert save(me_client, "executive", {**EXECUTIVE, "screening_alert": "loud"}).status_code == 400  # not a choice

    me_client.post("/language", data={"locale": "fr"})
    page = me_client.get("/settings/calling/executive").get_data(as_text=True)
    assert "Identification de l’appelant présentée à mes assistants" in page and "Sonnerie brève" in page


def test_deleting_a_user_removes_every_calling_row(me_client, me, colleague):
    save(me_client, "priority-alert", {"enabled": "y", "criteria-0-name": "All", "criteria-0-rule": "on",
                                       "criteria-0-calls_from": "any", "criteria-0-schedule": ""})
    access.set_user_overrides(me, {"hoteling": False})
    db.session.add(ExecutiveAssistant(executive_id=colleague.id, assistant_id=me.id))
    db.session.commit()
    db.session.delete(db.session.get(type(me), me.id))
    db.session.commit()
    for model in (CallingSetting, CallingCriterion, CallingHistory, ExecutiveAssistant, CallingFeatureAccess):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_criteria_using_a_schedule_are_listed(app, me):
    from userhub.schedules.services import create_schedule

    office = create_schedule(me, "Office", "business_hours")
    other = create_schedule(me, "Other", "business_hours")
    db.session.add(CallingCriterion(user_id=me.id, feature="priority-alert", name="Office", schedule_id=office.id,
                                    schedule_level="personal", schedule_type="business_hours", phone_numbers=[]))
    db.session.commit()
    assert services.criteria_using_schedule(office.id) == [services.ScheduleUse("priority-alert", "Office", me.id)]
    assert services.criteria_using_schedule(other.id) == []
