"""End-to-end suite: Debian's Chromium, driven by Playwright, against a userhub server in its own
processes, with a real SMTP server in the test process that receives what userhub sends.

Run it:  python -m pytest e2e -q          (about a minute; `-k en` or `-k fr` for one language)

Local mode (the default)
    The suite starts userhub itself: a fresh SQLite database in a temporary folder,
    `flask db upgrade`, `flask seed-demo` (organization "Example Corp"), then gunicorn with two
    workers on a free port of 127.0.0.1, the outbox drained by a thread in each worker, mail sent
    to the suite's SMTP server, a random secret key, the fast "test" argon2 profile. Rate limits stay
    on (they count per account and per link, and every test uses its own account). The `cli` fixture
    runs `python -m flask --app userhub ...` against the same database. When a test fails, the tail
    of the server's log is printed at the end of the run.

Deployed mode: USERHUB_E2E_BASE_URL=https://hub.example.org
    No server is started; the browser goes to that address. The deployed instance must send its
    mail to the suite's SMTP server, which binds to USERHUB_E2E_SMTP_HOST (default 0.0.0.0) and
    USERHUB_E2E_SMTP_PORT (required), so configure the instance with USERHUB_SMTP_HOST/PORT pointing
    there (and USERHUB_SMTP_TLS=none). Users are created through USERHUB_E2E_CLI, a command prefix
    that runs the flask CLI of that deployment, e.g. `kubectl exec deploy/userhub -- flask --app
    userhub` or `ssh hub.example.org flask --app userhub`; the suite splits it like a shell and
    appends the arguments (for a prefix starting with `ssh`, which hands one command line to the
    remote shell, each argument is quoted for that shell). Without USERHUB_E2E_CLI, the tests that
    must create users are skipped with that reason. USERHUB_E2E_ORGANIZATION names the
    organization people are invited into (default "Example Corp", what `flask seed-demo` creates).
    Every test invites a new, unique address, so runs do not collide.

Other settings
    USERHUB_E2E_CHROMIUM   the browser (default /usr/bin/chromium; install with `apt-get install -y
                           chromium`: Playwright's own browser download cannot work here).
    USERHUB_E2E_TIMEOUT_MS how long a step may wait for the page (default 10000).
    USERHUB_E2E_HEADED=1   show the browser (needs a display).

Fixtures: `base_url`, `cli(*args)`, `mail` (`wait_for(to=..., subject_contains=..., timeout=20)`,
`text(m)`, `html(m)`, `links(m)`, `link(m, text)`), `lang` (parametrize it: "fr" or "en"),
`words` (the page wording in that language), `page` (a fresh browser context per test, in `lang`),
`invite(first_name, last_name)` (a new employee invited through the CLI, in `lang`).
On failure a screenshot is saved to e2e/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from e2e.liveserver import FLASK, LiveServer, free_port, run
from e2e.mailcatcher import Collector, Mail, start_smtp_server
from e2e.pages import WORDING, ActivationPage, DisplayNamePage, HomePage, Wording

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEPLOYED_URL = os.environ.get("USERHUB_E2E_BASE_URL", "").rstrip("/")
ORGANIZATION = os.environ.get("USERHUB_E2E_ORGANIZATION", "Example Corp")
CHROMIUM = os.environ.get("USERHUB_E2E_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = int(os.environ.get("USERHUB_E2E_TIMEOUT_MS", "10000"))
# As the workplace notes say: without the background-networking flags Chromium keeps trying to
# reach Google's hosts, which this closed network refuses.
# LangAttributeAwareFormControlUI: date and time fields follow their page's lang (a French page shows the day
# first and a 24-hour clock) instead of the machine's locale, as for a French reader's browser.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--enable-blink-features=LangAttributeAwareFormControlUI"]
_server_logs: list[Path] = []  # printed in the terminal summary when a test failed


# --- mail and server -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _smtp() -> Iterator[tuple[int, Collector]]:
    if DEPLOYED_URL:
        port = os.environ.get("USERHUB_E2E_SMTP_PORT")
        if not port:
            pytest.fail("USERHUB_E2E_BASE_URL is set: also set USERHUB_E2E_SMTP_PORT (and USERHUB_E2E_SMTP_HOST) "
                        "to where the deployed instance sends its mail", pytrace=False)
        host = os.environ.get("USERHUB_E2E_SMTP_HOST", "0.0.0.0")
        controller, collector = start_smtp_server(host, int(port))
    else:
        controller, collector = start_smtp_server("127.0.0.1", free_port())
    yield controller.port, collector
    controller.stop()


@pytest.fixture
def mail(_smtp: tuple[int, Collector]) -> Mail:
    """mail.wait_for(to=..., subject_contains=...), mail.text(m), .html(m), .links(m), .link(m, text)."""
    return Mail(_smtp[1])


@pytest.fixture(scope="session")
def _server(_smtp: tuple[int, Collector], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer | None]:
    if DEPLOYED_URL:
        yield None
        return
    server = LiveServer(tmp_path_factory.mktemp("userhub-e2e"), smtp_port=_smtp[0])
    _server_logs.append(server.log)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(_server: LiveServer | None) -> str:
    return _server.base_url if _server is not None else DEPLOYED_URL


@pytest.fixture(scope="session")
def cli(_server: LiveServer | None) -> Callable[..., subprocess.CompletedProcess[str]]:
    """cli("invite-user", "--organization", ...): the flask CLI of the server under test."""
    if _server is not None:
        prefix, env = FLASK, _server.cli_env
    else:
        prefix, env = shlex.split(os.environ.get("USERHUB_E2E_CLI", "")), dict(os.environ)

    def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
        if not prefix:
            pytest.skip("deployed mode without USERHUB_E2E_CLI: the suite cannot create users there")
        if prefix[0] == "ssh":  # ssh hands one command line to the remote shell
            return run([*prefix, *map(shlex.quote, args)], env)
        return run([*prefix, *args], env)

    return run_cli


@dataclass(frozen=True)
class Invited:
    email: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@pytest.fixture
def invite(cli: Callable[..., subprocess.CompletedProcess[str]], lang: str) -> Callable[..., Invited]:
    """invite("Élodie", "Fauré", location="IT division", extension="6123"): an employee of ORGANIZATION
    invited through the CLI, in `lang`, with an address no other test or run uses. With a location, national
    numbers of its country are understood on the person's pages."""

    def make(first_name: str, last_name: str, location: str | None = None, extension: str | None = None) -> Invited:
        local = re.sub(r"[^a-z]+", ".", f"{first_name}.{last_name}".lower().encode("ascii", "ignore").decode())
        email = f"{local.strip('.')}.{secrets.token_hex(4)}@example.com"
        where = ("--location", location) if location else ()
        where += ("--extension", extension) if extension else ()
        cli("invite-user", "--organization", ORGANIZATION, "--email", email, "--first-name", first_name,
            "--last-name", last_name, *where, "--locale", lang)
        return Invited(email, first_name, last_name)

    return make


@pytest.fixture
def activated_employee(page: Any, words: Wording, mail: Mail, invite: Callable[..., Invited]) -> Callable[..., Invited]:
    """activated_employee("Léa", "Garnier", "Password-1!", location=..., extension=...): invited, then activated
    from the email's button in this page (password, display name), and signed in on the home page."""

    def make(first_name: str, last_name: str, password: str, location: str | None = None,
             extension: str | None = None) -> Invited:
        person = invite(first_name, last_name, location, extension)
        message = mail.wait_for(to=person.email, subject_contains=words.activation_subject.format(organization=ORGANIZATION))
        ActivationPage(page, words).open(mail.link(message, words.activate_button)).create_password(password)
        DisplayNamePage(page, words).enter(person.full_name)
        HomePage(page, words).expect_shown()
        return person

    return make


# --- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium not found at {CHROMIUM}. Install it with: apt-get install -y chromium "
                    "(or point USERHUB_E2E_CHROMIUM at a Chromium). `playwright install` cannot download "
                    "browsers here.", pytrace=False)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        headed = os.environ.get("USERHUB_E2E_HEADED") == "1"
        args = [arg for arg in CHROMIUM_ARGS if not (headed and arg == "--headless")]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=not headed, args=args)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def lang() -> str:
    """The language of the test: parametrize `lang` with "fr" and "en"."""
    return "en"


@pytest.fixture
def words(lang: str) -> Wording:
    return WORDING[lang]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"_e2e_{report.when}", report)
    return report


@pytest.fixture
def page(_browser: Any, words: Wording, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies) whose language is the test's."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = _browser.new_context(locale=words.browser_locale,
                                   extra_http_headers={"Accept-Language": words.browser_locale})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "_e2e_call", None)
        if report is not None and report.failed:
            _save_artifacts(page, request.node.nodeid)
        context.close()


def _save_artifacts(page: Any, nodeid: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", nodeid)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content())
        print(f"\nscreenshot: {ARTIFACTS / name}.png (page was {page.url})")
    except Exception as exc:  # a screenshot must never hide the real failure
        print(f"\nno screenshot: {exc}")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    failed = terminalreporter.stats.get("failed") or terminalreporter.stats.get("error")
    for log in _server_logs:
        if failed and log.exists():
            terminalreporter.write_sep("-", f"userhub server log (tail of {log})")
            terminalreporter.write_line(log.read_text(errors="replace")[-6000:])
