"""Administrators reach the calling parts of the product from the admin pages: the menu, a location's
schedules, a user's feature access; and the main menu marks "Users" on every administration page."""

from __future__ import annotations

import re

import pytest

MENU = re.compile(r'<nav class="admin-nav[^"]*"[^>]*>(.*?)</nav>', re.S)  # the first: the wide screen's side menu
MAIN_MENU = re.compile(r'<nav aria-label="[^"]*" class="mainnav">(.*?)</nav>', re.S)


def _admin_menu(page: str) -> str:
    found = MENU.search(page)
    assert found, "no admin menu on the page"
    return found.group(1)


def _current_main_entry(page: str) -> list[str]:
    found = MAIN_MENU.search(page)
    assert found, "no main menu on the page"
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', found.group(1))


@pytest.mark.parametrize("role", ["full", "user", "read_only"])
def test_the_admin_menu_leads_to_feature_access_and_voicemail(client_as, role):
    menu = _admin_menu(client_as(role).get("/admin/users").text)
    assert '<a href="/admin/calling/access" >Feature access</a>' in menu
    assert '<a href="/admin/voicemail" >Voicemail</a>' in menu
    for url in ("/admin/calling/access", "/admin/voicemail"):
        assert client_as(role).get(url).status_code == 200, url


def test_the_voicemail_entry_is_marked_on_its_page_and_named_in_french(admin_client, client_as):
    menu = _admin_menu(admin_client.get("/admin/voicemail").text)
    assert '<a href="/admin/voicemail" aria-current="page">Voicemail</a>' in menu
    assert menu == _admin_menu(admin_client.get("/admin/users").text).replace(
        '<a href="/admin/users" aria-current="page">', '<a href="/admin/users" >').replace(
        '<a href="/admin/voicemail" >', '<a href="/admin/voicemail" aria-current="page">')  # the same entries
    assert ">Audit log</a>" in menu and ">Audit log</a>" not in _admin_menu(client_as("user").get("/admin/voicemail").text)
    admin_client.post("/language", data={"locale": "fr"})
    menu = _admin_menu(admin_client.get("/admin/users").text)
    assert ">Messagerie vocale</a>" in menu and ">Accès aux fonctionnalités</a>" in menu


def test_a_location_page_links_to_its_schedules(admin_client, client_as, paris):
    for client in (admin_client, client_as("read_only")):
        page = client.get(f"/admin/locations/{paris.id}").text
        link = f'<a href="/admin/locations/{paris.id}/schedules">Schedules of this location</a>'
        assert link in page
        assert client.get(f"/admin/locations/{paris.id}/schedules").status_code == 200
    assert '<a href="/admin/schedules">Location schedules</a>' in admin_client.get("/admin/locations").text


def test_a_user_page_links_to_the_users_feature_access_and_history(admin_client, client_as, make_user):
    person = make_user("bob@example.com", first_name="Bob")
    for client in (admin_client, client_as("read_only")):
        page = client.get(f"/admin/users/{person.id}").text
        # near the top: before the details of the user
        links = page.index(f'href="/admin/users/{person.id}/calling/access"')
        assert links < page.index('<dl class="details">')
        assert f'<a href="/admin/users/{person.id}/calling/access">Feature access</a>' in page
        assert f'<a href="/admin/users/{person.id}/calling/history">History of call settings</a>' in page
        assert client.get(f"/admin/users/{person.id}/calling/access").status_code == 200


def test_the_main_menu_marks_users_on_the_administration_pages_of_other_areas(admin_client, admin, paris):
    for url in ("/admin/users", "/admin/voicemail", "/admin/calling/access", f"/admin/users/{admin.id}/calling/access",
                f"/admin/locations/{paris.id}/schedules"):
        assert _current_main_entry(admin_client.get(url).text) == ["Users"], url
    assert _current_main_entry(admin_client.get("/settings/calling").text) == ["Calling"]
    admin_client.post("/language", data={"locale": "fr"})
    assert _current_main_entry(admin_client.get("/admin/voicemail").text) == ["Utilisateurs"]


def test_admin_pages_of_other_areas_keep_the_admin_menu(admin_client, client_as, paris, make_user):
    person = make_user("carol@example.com", first_name="Carol")
    for url in ("/admin/calling/access", f"/admin/users/{person.id}/calling/access", "/admin/schedules",
                f"/admin/locations/{paris.id}/schedules"):
        assert ">Audit log</a>" in _admin_menu(admin_client.get(url).text), url
        assert ">Audit log</a>" not in _admin_menu(client_as("user").get(url).text), url
