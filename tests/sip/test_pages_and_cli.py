"""The phones page (SIP identity and password), the SIP servers page and `flask sip-server`."""

from __future__ import annotations

import hashlib
import re

from userhub.extensions import db


def test_phones_page_suggests_a_long_random_password_and_stores_only_ha1(jane, client_of):
    from userhub.sip.models import SipAccount

    client = client_of(jane)
    page = client.get("/settings/calling/phones").get_data(as_text=True)
    suggested = re.search(r'id="password" [^>]*value="([^"]+)"', page).group(1)
    assert len(suggested) >= 20 and suggested not in client.get("/settings/calling/phones").get_data(as_text=True)
    response = client.post("/settings/calling/phones", data={"password": suggested})
    assert response.status_code == 302
    account = db.session.query(SipAccount).one()
    assert account.ha1 == hashlib.md5(f"{account.sip_user}:userhub.local:{suggested}".encode()).hexdigest()
    assert suggested not in (account.ha1, account.ha1b, account.sip_user)
    assert account.sip_user in client.get("/settings/calling/phones").get_data(as_text=True)


def test_a_short_or_odd_password_is_refused_and_kept_in_the_form(jane, client_of):
    from userhub.sip.models import SipAccount

    client = client_of(jane)
    for typed, message in (("short-pw", "at least 12 characters"), ("with spaces in it", "no spaces")):
        response = client.post("/settings/calling/phones", data={"password": typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html and f'value="{typed}"' in html
    assert db.session.query(SipAccount).filter(SipAccount.ha1 != "").count() == 0


def test_french_readers_get_french_messages(jane, client_of):
    client = client_of(jane)
    jane.locale = "fr"
    db.session.commit()
    html = client.post("/settings/calling/phones", data={"password": "court"}).get_data(as_text=True)
    assert "Utilisez au moins 12\u00a0caractères" in html or "Utilisez au moins 12 caractères" in html


def test_sip_servers_page_lists_servers_for_full_administrators(admin_client):
    from userhub.sip.services import add_server

    assert "No SIP server yet." in admin_client.get("/admin/sip-servers").get_data(as_text=True)
    _server, token = add_server("edge-paris")
    html = admin_client.get("/admin/sip-servers").get_data(as_text=True)
    assert "edge-paris" in html and token not in html


def test_the_admin_menu_links_the_sip_servers_page_for_full_administrators_only(app, admin_client, make_user):
    from tests.conftest import sign_in
    from userhub.accounts.models import AdminRole

    link = 'href="/admin/sip-servers"'
    assert link in admin_client.get("/admin/users").get_data(as_text=True)
    make_user("reader@example.com", admin_role=AdminRole.READ_ONLY)
    reader = app.test_client()
    assert sign_in(reader, "reader@example.com").status_code == 302
    html = reader.get("/admin/users").get_data(as_text=True)
    assert reader.get("/admin/users").status_code == 200 and link not in html


def test_cli_adds_rotates_lists_and_removes(app):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["sip-server", "add", "edge-1"])
    assert added.exit_code == 0 and "credential" in added.output
    token = added.output.rsplit(" ", 1)[1].strip()
    assert runner.invoke(args=["sip-server", "add", "edge-1"]).exit_code != 0  # already there
    assert runner.invoke(args=["sip-server", "add", "bad name!"]).exit_code != 0
    rotated = runner.invoke(args=["sip-server", "rotate", "edge-1"])
    assert rotated.exit_code == 0 and token not in rotated.output
    assert "edge-1" in runner.invoke(args=["sip-server", "list"]).output
    assert runner.invoke(args=["sip-server", "remove", "edge-1"]).exit_code == 0
    assert "No SIP server." in runner.invoke(args=["sip-server", "list"]).output
    assert runner.invoke(args=["sip-server", "remove", "edge-1"]).exit_code != 0


def test_an_administrator_sets_a_persons_sip_password(app, admin_client, jane, make_user):
    from tests.conftest import sign_in
    from userhub.accounts.models import AdminRole
    from userhub.sip.models import SipAccount

    page = admin_client.get(f"/admin/users/{jane.id}/phones")
    assert page.status_code == 200 and "Phones of Jane Doe" in page.get_data(as_text=True)
    assert admin_client.post(f"/admin/users/{jane.id}/phones", data={"password": "x" * 8}).status_code == 400
    assert admin_client.post(f"/admin/users/{jane.id}/phones", data={"password": "long-enough-secret"}).status_code == 302
    account = db.session.query(SipAccount).filter_by(user_id=jane.id).one()
    assert account.ha1 == hashlib.md5(f"{account.sip_user}:userhub.local:long-enough-secret".encode()).hexdigest()
    # a read-only administrator sees the identity but gets no form
    make_user("reader@example.com", admin_role=AdminRole.READ_ONLY)
    reader = app.test_client()
    assert sign_in(reader, "reader@example.com").status_code == 302
    html = reader.get(f"/admin/users/{jane.id}/phones").get_data(as_text=True)
    assert account.sip_user in html and 'name="password"' not in html
