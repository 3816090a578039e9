"""Rules of call settings as a short list (a row per rule, no form), each added and changed on its own
page and deleted after a confirmation; the same save as the feature (version check, history)."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from tests.schedules.conftest import evening_form
from userhub.calling.models import CallingHistory
from userhub.extensions import db

from .conftest import rule_version, save_rule

KEY = "selective-reject"
URL = f"/settings/calling/{KEY}"
ANY = {"name": "Nuit", "rule": "on", "calls_from": "any", "schedule": ""}


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def test_the_feature_page_lists_rules_as_rows_not_forms(me_client, stored, me):
    assert save_rule(me_client, KEY, ANY).status_code == 302
    assert save_rule(me_client, KEY, {**ANY, "name": "Démarcheurs", "calls_from": "select",
                                      "phone_numbers": "06 34 33 32 11", "anonymous_callers": "y"}).status_code == 302
    text = page(me_client.get(URL))
    assert 'name="criteria-0-name"' not in text and "New rule" not in text and "Remove this rule" not in text
    rows = re.findall(r"<tr[^>]*>\s*<th[^>]* scope=\"row\">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", text)
    assert rows == [("Nuit", "Every day, all day", "Any phone number"),
                    ("Démarcheurs", "Every day, all day", "06 34 33 32 11, private")]
    assert f'href="{URL}/rules/1"' in text and f'href="{URL}/rules/1/delete"' in text
    assert f'href="{URL}/rules/new"' in text
    assert [c.name for c in stored(me, KEY).criteria] == ["Nuit", "Démarcheurs"]


def test_a_rule_is_added_edited_and_deleted_after_a_confirmation(me_client, stored, me):
    form = page(me_client.get(f"{URL}/rules/new"))
    assert 'name="name"' in form and 'value="1"' not in form.split('name="version"')[1][:40]
    assert save_rule(me_client, KEY, ANY).status_code == 302
    assert save_rule(me_client, KEY, {**ANY, "name": "Toujours", "rule": "off"}, index=0).status_code == 302
    state = stored(me, KEY)
    assert [(c.name, c.enabled) for c in state.criteria] == [("Toujours", False)] and state.version == 2

    confirm = me_client.get(f"{URL}/rules/0/delete")
    assert confirm.status_code == 200 and "Delete the rule Toujours?" in page(confirm)
    assert stored(me, KEY).criteria != []  # asking deletes nothing
    deleted = save_rule(me_client, KEY, {"remove": "y"}, index=0)
    assert deleted.status_code == 302
    assert stored(me, KEY).criteria == [] and stored(me, KEY).version == 3
    assert "The rule Toujours was deleted." in page(me_client.get(deleted.location))
    changes = db.session.scalars(select(CallingHistory.changes).where(CallingHistory.feature == KEY)
                                 .order_by(CallingHistory.id)).all()
    assert changes[-1] == [["criteria", ["Toujours"], []]]


def test_errors_keep_what_was_typed_and_save_nothing(me_client, stored, me):
    response = save_rule(me_client, KEY, {**ANY, "name": "", "calls_from": "select", "phone_numbers": "06 34"})
    text = page(response)
    assert response.status_code == 400
    assert "Give the rule a name." in text and "06 34 is not a valid phone number." in text
    assert "06 34</textarea>" in text and 'selected value="select"' in text
    assert stored(me, KEY).version == 0


def test_specific_numbers_are_required_only_when_chosen(me_client, stored, me):
    chosen = save_rule(me_client, KEY, {**ANY, "name": "VIP", "calls_from": "select", "phone_numbers": ""})
    assert chosen.status_code == 400
    assert "Add a number, or choose private or unavailable numbers." in page(chosen)
    assert 'value="VIP"' in page(chosen)
    assert save_rule(me_client, KEY, {**ANY, "name": "VIP", "calls_from": "any", "phone_numbers": ""}).status_code == 302
    assert [c.calls_from for c in stored(me, KEY).criteria] == ["any"]


def test_a_stale_edit_is_refused_with_the_current_values(me_client, stored, me):
    save_rule(me_client, KEY, ANY)
    opened = rule_version(me_client, f"{URL}/rules/0")
    save_rule(me_client, KEY, {**ANY, "name": "Changé ailleurs"}, index=0)  # another tab or device
    response = save_rule(me_client, KEY, {**ANY, "name": "Mon changement"}, index=0, version=opened)
    text = page(response)
    assert response.status_code == 409
    assert 'value="Changé ailleurs"' in text and "Mon changement" not in text
    assert 'id="conflict"' in text and "Your changes were not saved." in text
    assert 'name="version" type="hidden" value="2"' in text
    assert [c.name for c in stored(me, KEY).criteria] == ["Changé ailleurs"]
    stale_delete = save_rule(me_client, KEY, {"remove": "y"}, index=0, version=opened)
    assert stale_delete.status_code == 302 and [c.name for c in stored(me, KEY).criteria] == ["Changé ailleurs"]


def test_someone_elses_rule_is_out_of_reach(me_client, colleague_client, stored, me):
    save_rule(me_client, KEY, ANY)
    for url in (f"{URL}/rules/0", f"{URL}/rules/0/delete", f"{URL}/rules/7"):
        assert colleague_client.get(url).status_code == 404, url
        assert colleague_client.post(url, data={**ANY, "version": "1"}).status_code == 404, url
    assert me_client.get(f"{URL}/rules/7").status_code == 404
    assert me_client.get("/settings/calling/call-waiting/rules/new").status_code == 404  # a feature without rules
    assert [c.name for c in stored(me, KEY).criteria] == ["Nuit"] and stored(me, KEY).version == 1


def test_the_when_choice_offers_creating_a_schedule_and_back(me_client, stored, me):
    text = page(me_client.get(f"{URL}/rules/new"))
    assert re.search(r'<button type="submit" name="action" value="new_schedule"[^>]*>Create a schedule</button>', text)
    elsewhere = me_client.post("/settings/calling/schedules/new?back=https://evil.example/rules/",
                               data=evening_form(name="Autre"))
    assert "evil" not in elsewhere.location


def test_saving_the_features_own_form_keeps_its_rules(me_client, stored, me):
    from .conftest import save

    save_rule(me_client, KEY, ANY)
    assert save(me_client, KEY, {"enabled": "y"}).status_code == 302
    state = stored(me, KEY)
    assert state.values.enabled and [c.name for c in state.criteria] == ["Nuit"] and state.version == 2


def test_create_a_schedule_keeps_the_rule_being_typed_for_the_way_back(me_client, stored, me):
    """No JavaScript: "Create a schedule" is a submit button; the rule typed so far waits in the session and
    the rule page gives it back once, unsaved; creating the schedule returns to that page."""
    typed = {**ANY, "name": "Démarcheurs du soir", "calls_from": "select", "phone_numbers": "06 34 33 32 11",
             "anonymous_callers": "y"}
    new_rule = f"{URL}/rules/new"
    left = me_client.post(new_rule, data={"version": rule_version(me_client, new_rule), **typed,
                                          "action": "new_schedule"})
    assert left.status_code == 302
    assert left.location == f"/settings/calling/schedules/new?back={new_rule}"
    assert stored(me, KEY).criteria == []  # going to create a schedule saves nothing
    created = me_client.post(left.location, data=evening_form())
    assert created.status_code == 302 and created.location == new_rule
    back = page(me_client.get(new_rule))
    assert 'value="Démarcheurs du soir"' in back and "06 34 33 32 11" in back
    assert "selected" in re.findall(r'<option[^>]*value="select"[^>]*>', back)[0]
    assert "checked" in re.findall(r'<input[^>]*id="anonymous_callers"[^>]*>', back)[0]
    assert "Soirées" in back  # the new schedule is one of the choices
    again = page(me_client.get(new_rule))
    assert "Démarcheurs du soir" not in again  # given back once
    assert save_rule(me_client, KEY, typed).status_code == 302
    assert [c.name for c in stored(me, KEY).criteria] == ["Démarcheurs du soir"]


def test_a_draft_is_given_back_only_by_its_own_rule_page(me_client):
    new_rule = f"{URL}/rules/new"
    me_client.post(new_rule, data={"version": rule_version(me_client, new_rule), **ANY, "name": "Brouillon",
                                   "action": "new_schedule"})
    assert "Brouillon" not in page(me_client.get("/settings/calling/selective-accept/rules/new"))
    assert 'value="Brouillon"' in page(me_client.get(new_rule))


def test_a_deletion_a_check_refuses_keeps_the_rule_and_says_why(me_client, stored, me, monkeypatch):
    from userhub.calling import hooks

    assert save_rule(me_client, KEY, ANY).status_code == 302

    def refuse(pending):  # type: ignore[no-untyped-def]
        raise hooks.SaveRefused("Calls would go round in a circle.")

    monkeypatch.setattr(hooks, "_guards", [refuse])
    refused = save_rule(me_client, KEY, {"remove": "y"}, index=0)
    assert refused.status_code == 400
    assert "Calls would go round in a circle." in page(refused)  # on the confirmation page, not lost
    assert [c.name for c in stored(me, KEY).criteria] == ["Nuit"]
