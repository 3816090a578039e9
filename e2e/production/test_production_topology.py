"""The README's production section, executed: nginx terminating TLS, gunicorn (2 workers, production mode) on a
PostgreSQL database of its own, Redis for the limits, the mail worker as its own process, a real SMTP server.
Chromium walks it over https as people do, in French, and the headers and cookies production promises are
checked on every page it opens.

Test names avoid the letters "en" so that `-k en` / `-k fr` select one language.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.pages import WORDING, ActivationPage, DisplayNamePage, HomePage, SignInPage
from e2e.pages.admin import AddUsersWizard, DeleteUserPage, UsersAdminPage
from e2e.pages.calling import CallSettingsPage
from e2e.production.topology import REDIS_URL, first_organization_commands

ORGANIZATION = "Acme Production"
PASSWORD = "abcXq7#Lumen-Fjord9"
SECRET_PAGES = ("/activate/", "/password/reset/")  # their address holds a token
words = WORDING["fr"]


class Documents:
    """Every page (document) the browser received, checked against what production promises."""

    def __init__(self, context: Any) -> None:
        self.responses: list[Any] = []
        self.posts: list[Any] = []
        self.checked = 0
        self.script_errors: list[str] = []
        context.on("weberror", lambda error: self.script_errors.append(str(error.error)))
        context.on("response", self._seen)
        context.on("request", self._request)

    def _seen(self, response: Any) -> None:
        if response.request.resource_type == "document":
            self.responses.append(response)

    def _request(self, request: Any) -> None:
        if request.method == "POST":
            self.posts.append(request)

    def check(self, base_url: str) -> None:
        problems = []
        for response in self.responses:
            path = urlsplit(response.url).path
            headers = response.all_headers()
            where = f"{response.request.method} {path} ({response.status})"
            if not response.url.startswith(base_url + "/"):
                problems.append(f"{where}: left the site for {response.url}")
            if "max-age=31536000" not in headers.get("strict-transport-security", ""):
                problems.append(f"{where}: no HSTS")
            csp = headers.get("content-security-policy", "")
            if not all(part in csp for part in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'")) \
                    or "unsafe-inline" in csp:
                problems.append(f"{where}: CSP {csp!r}")
            if headers.get("x-content-type-options") != "nosniff":
                problems.append(f"{where}: no nosniff")
            wanted = "no-referrer" if path.startswith(SECRET_PAGES) else "same-origin"
            if headers.get("referrer-policy") != wanted:
                problems.append(f"{where}: Referrer-Policy {headers.get('referrer-policy')!r}, wanted {wanted}")
            for cookie in filter(None, headers.get("set-cookie", "").split("\n")):
                attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
                if not cookie.startswith("__Host-"):
                    problems.append(f"{where}: cookie without the __Host- prefix: {cookie.split('=')[0]}")
                if not {"secure", "httponly", "samesite", "path"} <= attributes or "domain" in attributes:
                    problems.append(f"{where}: cookie attributes {sorted(attributes)}")
                if "samesite=lax" not in cookie.lower() or "path=/" not in cookie.lower():
                    problems.append(f"{where}: cookie {cookie.split('=')[0]} is not SameSite=Lax; Path=/")
        for request in self.posts:
            # Chromium says where each form comes from: this site, or "null" from a page that sends no referrer.
            origin = request.header_value("origin")
            referer = request.header_value("referer") or ""
            path = urlsplit(referer).path
            expected = "null" if not referer else base_url
            if origin != expected:
                problems.append(f"POST {urlsplit(request.url).path}: Origin {origin!r}, expected {expected!r}")
            if any(path.startswith(secret) for secret in SECRET_PAGES):
                problems.append(f"POST {urlsplit(request.url).path}: a token page's address was sent as Referer")
        problems += [f"script error: {error}" for error in self.script_errors]  # e.g. refused by the CSP
        self.script_errors.clear()
        self.checked += len(self.responses)
        self.responses.clear()
        self.posts.clear()
        assert not problems, "\n".join(problems)


def _activation_attempts_in_redis() -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        return int(client.get("LIMITS:LIMITER/127.0.0.1/accounts.activate/60/15/minute") or 0)
    finally:
        client.close()


def _session_cookie(context: Any) -> dict[str, Any]:
    cookies = context.cookies()
    assert [c["name"] for c in cookies] == ["__Host-userhub"], cookies
    cookie = cookies[0]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/", cookie
    return cookie  # type: ignore[no-any-return]


def _activate(page: Any, link: str, name: str) -> None:
    ActivationPage(page, words).open(link).create_password(PASSWORD)
    DisplayNamePage(page, words).enter(name)
    HomePage(page, words).expect_shown()


def _sign_out_and_in(page: Any, email: str, name: str) -> None:
    home = HomePage(page, words)
    home.sign_out()
    sign_in = SignInPage(page, words)
    sign_in.expect_signed_out_message()
    sign_in.sign_in(email, PASSWORD)  # the email first (the post that got 400 behind TLS), then the password
    home.expect_signed_in_as(name)


# Starting five processes and walking a dozen pages with production's argon2 costs: on a shared 2-core machine it
# has taken up to 260 s, near the suite's 300 s default.
@pytest.mark.timeout(600)
def test_fr_people_use_the_production_site_over_https(production_site, https_context, _browser):  # type: ignore[no-untyped-def]
    site, mail = production_site
    base_url = site.base_url

    # Set-up of the first organization with the flask CLI, in the production environment (README).
    admin_email = f"alice.admin.{secrets.token_hex(4)}@example.com"
    for command in first_organization_commands(ORGANIZATION, base_url, admin_email):
        out = site.cli(*command).stdout
    admin_link = out.strip().splitlines()[-1]
    assert admin_link.startswith(base_url + "/activate/"), out

    # The administrator activates, signs out, and signs in: email, then password.
    admin_documents = Documents(https_context)
    page = https_context.new_page()
    activations_before = _activation_attempts_in_redis()
    _activate(page, admin_link, "Alice Admin")
    # The limits are counted in Redis (shared by both workers), per browser address as the proxy reported it.
    assert _activation_attempts_in_redis() >= activations_before + 1
    admin_documents.check(base_url)
    _session_cookie(https_context)
    _sign_out_and_in(page, admin_email, "Alice Admin")
    admin_documents.check(base_url)

    # A form sent from elsewhere is refused by the real stack even with this session's valid token.
    page.goto(base_url + "/")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    forged = https_context.request.post(base_url + "/language", form={"locale": "en", "csrf_token": token},
                                        headers={"Origin": "https://attacker.example.net"}, max_redirects=0)
    assert forged.status == 400 and "envoyé depuis un autre site" in forged.text()
    same = https_context.request.post(base_url + "/language", form={"locale": "fr", "csrf_token": token},
                                      headers={"Origin": base_url}, max_redirects=0)
    assert same.status == 302  # the same post from the site itself: the Origin made the difference
    admin_documents.responses.clear()

    # The wizard: "Informations de base", "Attribuer des numéros", "Terminer".
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Utilisateurs").click()
    users = UsersAdminPage(page)
    users.expect_shown()
    email = f"robert.redford.{secrets.token_hex(4)}@example.com"
    users.add_users()
    wizard = AddUsersWizard(page)
    wizard.fill_person(0, "Robert", "Redford", email, "Webex Calling")
    wizard.next()
    number, extension = wizard.assign(email, "Paris")
    expect(extension).to_have_value(number[-4:])
    wizard.allocate()
    wizard.expect_done("1 utilisateur ajouté")
    admin_documents.check(base_url)

    # The activation email, sent by the mail worker process through the SMTP server.
    message = mail.wait_for(to=email, subject_contains=words.activation_subject.format(organization=ORGANIZATION),
                            timeout=30)
    link = mail.link(message, words.activate_button)
    assert link.startswith(base_url + "/activate/"), link

    employee = _browser.new_context(locale="fr-FR", ignore_https_errors=True,
                                    extra_http_headers={"Accept-Language": "fr-FR"})
    try:
        employee_documents = Documents(employee)
        employee_page = employee.new_page()
        _activate(employee_page, link, "Robert Redford")
        _sign_out_and_in(employee_page, email, "Robert Redford")
        _session_cookie(employee)

        calling = CallSettingsPage(employee_page, "fr").open_overview(base_url)
        calling.open_feature("forwarding")
        calling.forward_when_busy("06 34 33 32 11")
        calling.open_overview(base_url)
        expect(calling.row("forwarding")).to_contain_text(f"{calling.words['busy_summary']} 06 34 33 32 11")
        employee_documents.check(base_url)

        # The administrator deletes them; their session ends with it.
        users.open(base_url, search=email)
        users.expect_status(email, "Actif")
        users.delete_from_row_menu(email)
        confirmation = DeleteUserPage(page)
        confirmation.expect_warning()
        confirmation.confirm()
        users.expect_shown()
        users.expect_absent(email)
        admin_documents.check(base_url)

        employee_page.reload()
        SignInPage(employee_page, words).expect_shown()
        employee_documents.check(base_url)
        assert admin_documents.checked + employee_documents.checked >= 20
    finally:
        employee.close()

    # Behind the proxy, userhub saw https and the browser's address (one trusted hop), and the mail worker
    # (not a thread of gunicorn) sent the mail.
    log = (site.folder / "gunicorn.log").read_text(errors="replace")
    assert re.search(r"Traceback|Internal Server Error", log) is None, log[-3000:]
    assert "Mail worker started" in (site.folder / "mail-worker.log").read_text(errors="replace")
    # Both activation links went through nginx: its access lines show them redacted, and no log of the run
    # (nginx, gunicorn, mail worker) holds either token.
    access = (site.folder / "userhub-access.log").read_text(errors="replace")
    assert access.count("GET /activate/[redacted] ") >= 2, access[-3000:]
    # Each link's first hop sent the browser on to the form's own address: the passwords went there.
    assert access.count('"POST /activate HTTP/1.1" 302') >= 2, access[-3000:]
    for token in (admin_link.rsplit("/", 1)[1], link.rsplit("/", 1)[1]):
        for path in site.folder.glob("*.log"):
            assert token not in path.read_text(errors="replace"), path.name
