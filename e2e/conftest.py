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
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from e2e.pages import WORDING, Wording

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEPLOYED_URL = os.environ.get("USERHUB_E2E_BASE_URL", "").rstrip("/")
ORGANIZATION = os.environ.get("USERHUB_E2E_ORGANIZATION", "Example Corp")
CHROMIUM = os.environ.get("USERHUB_E2E_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = int(os.environ.get("USERHUB_E2E_TIMEOUT_MS", "10000"))
# As the workplace notes say: without the background-networking flags Chromium keeps trying to
# reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_SECONDS = 30
_server_log: list[Path] = []  # printed in the terminal summary when a test failed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- a real SMTP server --------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    message: EmailMessage


class _Collector:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(Received(tuple(r.lower() for r in envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None


class Mail:
    """The mail userhub sent to the suite's SMTP server."""

    def __init__(self, collector: _Collector) -> None:
        self._collector = collector

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 20) -> EmailMessage:
        """The first message to `to` whose subject contains `subject_contains`, waiting for the
        server's outbox worker to send it (it runs in another process, so we poll)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._collector.lock:
                received = list(self._collector.received)
            for item in received:
                if to.lower() in item.recipients and subject_contains in str(item.message["Subject"]):
                    return item.message
            if time.monotonic() > deadline:
                seen = [(r.recipients, str(r.message["Subject"])) for r in received] or "nothing"
                raise AssertionError(f"no email to {to} with {subject_contains!r} in its subject within "
                                     f"{timeout} s; received: {seen}")
            time.sleep(0.1)

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]

    @classmethod
    def links(cls, message: EmailMessage) -> list[tuple[str, str]]:
        """(text, address) of each link of the HTML part, in order."""
        parser = _Links()
        parser.feed(cls.html(message))
        return parser.links

    @classmethod
    def link(cls, message: EmailMessage, text: str) -> str:
        """The address of the HTML link (button) that reads exactly `text`."""
        found = [href for label, href in cls.links(message) if label == text]
        assert len(found) == 1, f"expected one link {text!r} in the email, found {cls.links(message)}"
        return found[0]


@pytest.fixture(scope="session")
def _smtp() -> Iterator[tuple[str, int, _Collector]]:
    if DEPLOYED_URL:
        port = os.environ.get("USERHUB_E2E_SMTP_PORT")
        if not port:
            pytest.fail("USERHUB_E2E_BASE_URL is set: also set USERHUB_E2E_SMTP_PORT (and USERHUB_E2E_SMTP_HOST) "
                        "to where the deployed instance sends its mail", pytrace=False)
        host = os.environ.get("USERHUB_E2E_SMTP_HOST", "0.0.0.0")  # noqa: S104 - the instance is elsewhere
        address = (host, int(port))
    else:
        address = ("127.0.0.1", free_port())
    collector = _Collector()
    controller = Controller(collector, hostname=address[0], port=address[1])
    controller.start()
    yield address[0], address[1], collector
    controller.stop()


@pytest.fixture
def mail(_smtp: tuple[str, int, _Collector]) -> Mail:
    return Mail(_smtp[2])


# --- the server ----------------------------------------------------------------------------------


@dataclass
class _Server:
    base_url: str
    env: dict[str, str]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped ({process.returncode}) while starting:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own address
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)  # waiting for another process to bind its port
    raise RuntimeError(f"{url} did not answer 200 within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def _gunicorn_has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)


@pytest.fixture(scope="session")
def _server(_smtp: tuple[str, int, _Collector], tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    if DEPLOYED_URL:
        yield _Server(DEPLOYED_URL, {})
        return
    folder = tmp_path_factory.mktemp("userhub-e2e")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Nothing of the developer's own USERHUB_* settings (their database!) leaks into the server.
    env = {key: value for key, value in os.environ.items() if not key.startswith("USERHUB_")}
    env.update({
        "USERHUB_DATABASE_URL": f"sqlite:///{folder / 'userhub.db'}",
        "USERHUB_SECRET_KEY": secrets.token_urlsafe(48),
        "USERHUB_BASE_URL": base_url,
        "USERHUB_SMTP_HOST": "127.0.0.1",
        "USERHUB_SMTP_PORT": str(_smtp[1]),
        "USERHUB_MAIL_TRANSPORT": "smtp",
        "USERHUB_MAIL_WORKER_THREAD": "1",
        "USERHUB_ARGON2_PROFILE": "test",
        "PYTHONUNBUFFERED": "1",
    })
    # The set-up commands must not start an outbox thread of their own.
    setup_env = {**env, "USERHUB_MAIL_WORKER_THREAD": "0"}
    flask = [sys.executable, "-m", "flask", "--app", "userhub"]
    _run([*flask, "db", "upgrade"], setup_env)
    _run([*flask, "seed-demo"], setup_env)
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5"]
    if _gunicorn_has_control_socket():  # newer gunicorn opens one in ~/.gunicorn, shared by every run
        gunicorn.append("--no-control-socket")
    log = folder / "server.log"
    _server_log.append(log)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [*gunicorn, "userhub:create_app()"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(base_url + "/sign-in", process, log)
        yield _Server(base_url, setup_env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(_server: _Server) -> str:
    return _server.base_url


@pytest.fixture(scope="session")
def cli(_server: _Server) -> Callable[..., subprocess.CompletedProcess[str]]:
    """cli("invite-user", "--organization", ...): the flask CLI of the server under test."""
    if not DEPLOYED_URL:
        prefix = [sys.executable, "-m", "flask", "--app", "userhub"]
        env = _server.env
    else:
        command = os.environ.get("USERHUB_E2E_CLI", "")
        prefix, env = shlex.split(command), dict(os.environ)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        if not prefix:
            pytest.skip("deployed mode without USERHUB_E2E_CLI: the suite cannot create users there")
        if prefix[0] == "ssh":
            return _run([*prefix, *map(shlex.quote, args)], env)
        return _run([*prefix, *args], env)

    return run


@dataclass(frozen=True)
class Invited:
    email: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@pytest.fixture
def invite(cli: Callable[..., subprocess.CompletedProcess[str]], lang: str) -> Callable[[str, str], Invited]:
    """invite("Élodie", "Fauré"): an employee of ORGANIZATION invited through the CLI, in `lang`,
    with an address no other test or run uses."""

    def make(first_name: str, last_name: str) -> Invited:
        local = re.sub(r"[^a-z]+", ".", f"{first_name}.{last_name}".lower().encode("ascii", "ignore").decode())
        email = f"{local.strip('.')}.{secrets.token_hex(4)}@example.com"
        cli("invite-user", "--organization", ORGANIZATION, "--email", email, "--first-name", first_name,
            "--last-name", last_name, "--locale", lang)
        return Invited(email, first_name, last_name)

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
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                (ARTIFACTS / f"{name}.html").write_text(page.content())
                print(f"\nscreenshot: {ARTIFACTS / name}.png (page was {page.url})")
            except Exception as exc:  # a screenshot must never hide the real failure
                print(f"\nno screenshot: {exc}")
        context.close()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    failed = terminalreporter.stats.get("failed") or terminalreporter.stats.get("error")
    for log in _server_log:
        if failed and log.exists():
            terminalreporter.write_sep("-", f"userhub server log (tail of {log})")
            terminalreporter.write_line(log.read_text(errors="replace")[-6000:])
