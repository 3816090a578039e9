"""Every form the app shows, sent with invalid input: the answer is a 4xx page whose errors are tied to their
fields, never a page of errors at 200 (the request's edge commits a request that wrote when its status is
below 400: userhub/unit_of_work.py, ARCHITECTURE.md "Errors").

The pages come from the URL map (tests/security/routes.py, filled by the route samples), opened on the
crawler's richly seeded organization by someone allowed to use them; the activation and reset pages are
opened from real links. Each POST form found on a page is sent as a browser would, its hidden fields as
they are (the version a settings page was shown with) and every field a person fills set to something no
field accepts: 1,000 characters of text, a choice the list does not offer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from werkzeug.datastructures import MultiDict

from tests.crawler.conftest import CrawlWorld
from tests.crawler.test_crawl import CLOCKS
from tests.security.routes import GET_ROUTES, Route

INVALID_TEXT = "x" * 1000
INVALID_CHOICE = "not-a-choice"
TEXT_TYPES = {"text", "email", "password", "tel", "number", "date", "time", "search", "url", None}
# Posts that are not forms a person fills: they change one thing at a click, with nothing to type.
NOT_FILLED = ("/sign-out", "/language")
# Forms whose fields may all be left as anyone likes: nothing sent to them is invalid. Each says why.
ACCEPTS_ANY_INPUT = {
    # Each feature's select offers "as the organization", allowed and denied; anything else is read as the
    # first (the override removed), which is what a person who did not choose means.
    "/admin/users/<int:user_id>/calling/access": "a value outside the list means \"as the organization\"",
}
# The forms this sweep must have sent, at least: the brief's list (sign-in, password change, a user's
# administration page, a new location) and their neighbours. A form that stops being found fails here.
MUST_ANSWER_4XX = {
    "/sign-in", "/sign-in/password", "/password/forgot", "/account/password", "/welcome/name",
    "/admin/users/<int:user_id>", "/admin/locations/new", "/admin/locations/<int:location_id>",
    "/settings/calling/contacts/new", "/settings/calling/voicemail/access-code", "/activation", "/reset",
    "/admin/users/add", "/settings/calling/schedules/new", "/settings/calling/call-forwarding",
}


@dataclass
class Form:
    action: str
    fields: list[dict[str, Any]] = field(default_factory=list)  # tag, type, name, value, options


class Page(HTMLParser):
    """The POST forms of a page, and how its errors are shown: lists of errors by id, the controls that
    point to them (aria-describedby), and whether any error is shown at all."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.error_lists: list[str | None] = []  # the id of each <ul class="errors">
        self.described: set[str] = set()  # every id a control or a group names in aria-describedby
        self.invalid_controls = 0
        self.summary = False
        self._form: Form | None = None
        self._select: dict[str, Any] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "ul" and "errors" in classes:
            self.error_lists.append(a.get("id"))
        if "error-summary" in classes and a.get("id") != "conflict":
            self.summary = True
        self.described.update((a.get("aria-describedby") or "").split())
        if a.get("aria-invalid") == "true":
            self.invalid_controls += 1
        if tag == "form":
            self._form = Form(a.get("action") or "") if (a.get("method") or "get").lower() == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is not None and tag == "button" and (a.get("type") or "submit") == "submit":
            self._form.fields.append({"tag": tag, "type": "submit", "name": a.get("name"), "value": a.get("value") or ""})
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            control = {"tag": tag, "type": a.get("type"), "name": a["name"], "value": a.get("value") or "",
                       "checked": "checked" in a, "options": []}
            self._form.fields.append(control)
            self._select = control if tag == "select" else None
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    @property
    def shows_errors(self) -> bool:
        return bool(self.error_lists or self.summary or self.invalid_controls)


def _filled(form: Form) -> list[tuple[str, str]] | None:
    """What a person who types nonsense in every field sends; None when there is nothing to type."""
    sent, typed, default_button = [], False, True
    for control in form.fields:
        kind = control["type"]
        if kind == "submit":  # Enter sends the form with its first button (its default button)
            if default_button and control["name"]:
                sent.append((control["name"], control["value"]))
            default_button = False
        elif control["tag"] == "input" and kind == "hidden":
            sent.append((control["name"], control["value"]))
        elif control["tag"] == "select":
            sent.append((control["name"], INVALID_CHOICE))
            typed = True
        elif control["tag"] == "textarea" or kind in TEXT_TYPES:
            sent.append((control["name"], INVALID_TEXT))
            typed = True
        elif kind in ("checkbox", "radio") and control["checked"]:
            sent.append((control["name"], control["value"] or "y"))
        # files: not sent
    return sent if typed else None


@dataclass
class Outcome:
    page: str
    action: str
    status: int
    problems: list[str]


def _send(client: Any, page_url: str, html: str, label: str) -> list[Outcome]:
    outcomes = []
    for form in Page(html).forms:
        action = urljoin(page_url, form.action) if form.action else page_url
        data = _filled(form)
        if data is None or urlsplit(action).path in NOT_FILLED:
            continue
        response = client.post(action, data=MultiDict(data))
        answer = Page(response.get_data(as_text=True))
        problems = []
        if response.status_code >= 500:
            problems.append("a server error")
        elif response.status_code < 300 and answer.shows_errors:
            problems.append("errors shown with status 200")
        elif 400 <= response.status_code < 500:
            if not answer.shows_errors:
                problems.append("no error shown")
            loose = [ident for ident in answer.error_lists if ident is not None and ident not in answer.described]
            if loose:
                problems.append(f"errors tied to no field: {loose}")
            if not answer.error_lists and not answer.invalid_controls:
                problems.append("no field carries an error (only the summary)")
        outcomes.append(Outcome(label, urlsplit(action).path, response.status_code, problems))
    return outcomes


def _person_for(route: Route) -> str:
    if route.access.public:
        return "anonymous"
    return "full" if route.rule.startswith("/admin") else "employee"


def _token_pages(world: CrawlWorld, app: Any) -> list[tuple[str, Any, str, str]]:
    """The activation page of an invited person and the reset page of an active one, from their links."""
    from userhub.accounts.models import TokenPurpose
    from userhub.accounts.provisioning import create_user
    from userhub.extensions import db
    from userhub.accounts.tokens import issue_token
    from userhub.timeutil import utcnow

    invited = create_user(world.organization, "invited.sweep@example.com", first_name="Ivy", last_name="Sweep")
    activation = issue_token(invited, TokenPurpose.ACTIVATION, timedelta(days=1), now=utcnow())
    reset = issue_token(world.employee, TokenPurpose.PASSWORD_RESET, timedelta(hours=1), now=utcnow())
    db.session.commit()
    pages = []
    for label, path in (("/activation", f"/activate/{activation.raw}"), ("/reset", f"/password/reset/{reset.raw}")):
        client = app.test_client()
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, (label, response.status_code)
        pages.append((label, client, response.request.path, response.get_data(as_text=True)))
    return pages


@pytest.fixture
def monday_morning():  # type: ignore[no-untyped-def]
    """A working Monday in Paris, seeding and signing in included (as the crawler's first clock)."""
    with time_machine.travel(CLOCKS["monday-0900-paris"], tick=True):
        yield


def test_every_form_sent_with_invalid_input_answers_4xx_with_its_errors_on_the_fields(
        monday_morning: None, crawl_world: CrawlWorld, app: Any) -> None:
    world = crawl_world
    # Someone who typed their address: the password step of the sign-in shows its form.
    assert world.clients["anonymous"].post("/sign-in", data={"email": "someone@example.com"}).status_code == 302
    outcomes: list[Outcome] = []
    for route in GET_ROUTES:
        if route.endpoint == "static" or route.rule in ("/sign-out",):
            continue
        person = _person_for(route)
        client = world.clients[person]
        url = route.url(world, person)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        outcomes += _send(client, url, response.get_data(as_text=True), route.rule)
    # Every calling feature's page (the URL map names one feature per placeholder).
    from userhub.calling import registry

    for feature in registry.features():
        url = f"/settings/calling/{feature.key}"
        response = world.clients["employee"].get(url)
        assert response.status_code == 200, (url, response.status_code)
        outcomes += _send(world.clients["employee"], url, response.get_data(as_text=True), url)
    for label, client, url, html in _token_pages(world, app):
        outcomes += _send(client, url, html, label)

    problems = [f"{o.page} → POST {o.action}: {o.status}, {', '.join(o.problems)}" for o in outcomes if o.problems]
    accepted = {o.page for o in outcomes if o.status < 400} - set(ACCEPTS_ANY_INPUT)
    refused = {o.page for o in outcomes if 400 <= o.status < 500 and not o.problems}
    assert not problems, "\n".join(problems)
    assert not accepted, f"forms that took 1,000 characters or an unknown choice in every field: {sorted(accepted)}"
    assert MUST_ANSWER_4XX <= refused, f"forms this sweep no longer reached: {sorted(MUST_ANSWER_4XX - refused)}"
    assert len(outcomes) >= len(MUST_ANSWER_4XX)


def test_the_sweep_sees_errors_shown_at_200_and_errors_tied_to_no_field() -> None:
    shown = Page('<form method="post"><input name="a" aria-invalid="true" aria-describedby="a-error">'
                 '<ul class="errors" id="a-error"><li>No.</li></ul></form>')
    assert shown.shows_errors and shown.error_lists == ["a-error"] and "a-error" in shown.described
    loose = Page('<ul class="errors" id="b-error"><li>No.</li></ul><input name="b">')
    assert loose.shows_errors and "b-error" not in loose.described
    assert not Page('<form method="post"><input name="a"></form>').shows_errors
    form = Page('<form method="post" action="/x"><input type="hidden" name="version" value="3">'
                '<input name="name"><select name="kind"><option value="a">A</option></select>'
                '<button type="submit" name="go">Go</button></form>').forms[0]
    assert _filled(form) == [("version", "3"), ("name", INVALID_TEXT), ("kind", INVALID_CHOICE), ("go", "")]
    assert _filled(Page('<form method="post"><input type="hidden" name="csrf_token" value="t"></form>').forms[0]) \
        is None
    assert re.fullmatch(r"x{1000}", INVALID_TEXT)
