"""One fixture set for the whole suite: the app on SQLite and on PostgreSQL (fresh data per test),
a real SMTP server that receives what the app sends, and people to act as."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.globals import _cv_app
from flask.testing import FlaskClient
from jinja2 import Environment
from jinja2.bccache import BytecodeCache, Bucket

from userhub import create_app
from userhub.extensions import db

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
STRONG_PASSWORD = "Violet-Harbour-Kettle-93!"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["both", "sqlite", "postgresql"],
        default=os.environ.get("USERHUB_TEST_DB", "both"),
        help="Which databases the integration tests run on (default: both).",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db")
        backends = ["sqlite", "postgresql"] if choice == "both" else [choice]
        metafunc.parametrize("backend", backends, scope="session")


@pytest.hookimpl(trylast=True)  # after pytest's own reordering (fixtures.reorder_items), which it replaces here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """All the SQLite tests, then all the PostgreSQL ones, each module's tests together. pytest's own order
    switched between the two backends 420 times in a run of the whole suite (a test parametrized on anything
    else as well breaks its groups up), and each switch tears down and builds again every session fixture of
    the backend: the database and its schema (create_all), and the SIP tests' gunicorn. Nothing else moves:
    tests of no backend keep their place among the SQLite ones, the end-to-end suite stays last, and within a
    module the order is pytest's."""
    first_seen: dict[Any, int] = {}

    def key(position: int, item: pytest.Item) -> tuple[int, int, int, int]:
        top = first_seen.setdefault(item.path.relative_to(item.config.rootpath).parts[0], len(first_seen))
        module = first_seen.setdefault(item.path, len(first_seen))
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec is not None else None
        return top, 1 if backend == "postgresql" else 0, module, position

    keys = {item: key(position, item) for position, item in enumerate(items)}
    items.sort(key=keys.__getitem__)


def _postgres_base_url() -> str:
    return os.environ.get("USERHUB_TEST_POSTGRES_URL", DEFAULT_PG_URL)


def _require_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        pytest.exit(
            f"PostgreSQL is not reachable at {url} ({exc.orig}).\n"
            "The suite runs on SQLite and PostgreSQL. Start PostgreSQL, or point the suite at one with\n"
            "  USERHUB_TEST_POSTGRES_URL=postgresql+psycopg://USER@HOST:PORT/DATABASE\n"
            "or run only SQLite on purpose with --db sqlite.",
            returncode=3,
        )
    finally:
        engine.dispose()


@dataclass
class Database:
    """A database prepared once per session for one backend: schema created, emptied before each test."""

    backend: str
    url: str
    drop: list[str] = field(default_factory=list)


def make_postgres_schema(base_url: str) -> tuple[str, str]:
    """A private schema in the test database, so that parallel runs never see each other."""
    schema = f"uh_{os.getpid()}_{secrets.token_hex(4)}"
    engine = sa.create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base_url else "?"
    return schema, f"{base_url}{separator}options=-csearch_path%3D{schema}"


def drop_postgres_schema(base_url: str, schema: str) -> None:
    engine = sa.create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if backend == "postgresql":
        base = _postgres_base_url()
        _require_postgres(base)
        schema, url = make_postgres_schema(base)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "userhub.db")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        import userhub.models  # noqa: F401  (the whole schema)

        db.create_all()
        db.engine.dispose()
    yield Database(backend, url)
    if backend == "postgresql":
        drop_postgres_schema(base, schema)


# --- a real SMTP server -------------------------------------------------------------------------


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, _Collector]]:
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


class Mailbox:
    """What the SMTP server received. ``deliver()`` runs the outbox the way the worker does."""

    def __init__(self, collector: _Collector) -> None:
        self.collector = collector

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages

    def deliver(self) -> list[EmailMessage]:
        from userhub.mail.outbox import deliver_due

        before = len(self.collector.messages)
        deliver_due()
        return self.collector.messages[before:]

    def refuse(self, value: bool = True) -> None:
        self.collector.refuse = value

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]


# --- the app -------------------------------------------------------------------------------------


class IsolatedClient(FlaskClient):
    """Runs each request in its own context, as a server does. Without this, a request would reuse
    the test's application context and its ``g`` (Flask-Login's user, the CSRF token) and its
    database session, and tests could pass for the wrong reason."""

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        # What the test itself did with services (no request, so no request edge) is committed first, as
        # the request that would have done it commits at its edge (userhub/unit_of_work.py).
        if _cv_app.get(None) is not None and db.session().in_transaction():
            db.session.commit()
        outer = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(outer)


# Every sequence of the test's schema back to 1, as a new database starts (ids the tests see are the same on
# both databases). setval, not ALTER SEQUENCE: it takes no lock and writes no new relation file.
_RESTART_SEQUENCES = sa.text(
    "SELECT count(setval(c.oid, 1, false)) FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
)


def _reuse_url_builders() -> None:
    """Each test gets a new app (its own config and extensions), and nine tenths of create_app's time is
    Werkzeug compiling the same URL builders again (Python source for each of the 80 rules, twice): 100 ms
    of CPU per test. The builder is a pure function of the rule's text, its parsed parts and which defaults
    it has (the converters are looked up on the rule when it runs), so the one compiled for an identical
    rule is handed out again. Checked against Werkzeug 3.1's Rule.compile; any other version compiles as
    usual. A rule whose path holds a default value (compiled into the builder) always compiles."""
    from importlib import metadata

    from werkzeug.routing.rules import Rule

    if not metadata.version("werkzeug").startswith("3.1."):
        return
    compile_builder = Rule._compile_builder
    compiled: dict[tuple[Any, ...], Any] = {}

    def reused(self: Rule, append_unknown: bool = True) -> Any:
        defaults = self.defaults or {}
        if any(dynamic and name in defaults for dynamic, name in self._trace):
            return compile_builder(self, append_unknown)
        key = (self.rule, append_unknown, tuple(self._trace), tuple(sorted(defaults)))
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = reused  # type: ignore[method-assign]


_reuse_url_builders()


def _empty_all_tables(backend: str) -> None:
    """Every row gone, children first, and on PostgreSQL the ids restarted. DELETE, not TRUNCATE: TRUNCATE
    gives each of the 30 tables a new file on disk: 0.63 s per test against 0.02 s for DELETE and setval
    (20 rounds each, on the shared machine under load)."""
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())
        if backend == "postgresql":
            connection.execute(_RESTART_SEQUENCES)


def testing_config(url: str, smtp_port: int) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "WTF_CSRF_ENABLED": False,  # CSRF has its own tests, with it on
        "USERHUB_ARGON2_PROFILE": "test",
        "USERHUB_BASE_URL": "https://hub.example.com",
        "USERHUB_MAIL_TRANSPORT": "smtp",
        "USERHUB_SMTP_HOST": "127.0.0.1",
        "USERHUB_SMTP_PORT": smtp_port,
        "USERHUB_MAIL_WORKER_THREAD": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture
def app_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Override in a test module, or parametrize indirectly with the settings to change:
    ``@pytest.mark.parametrize("app_config", [{"USERHUB_DEMO_MAILBOX": True}], indirect=True)``."""
    return dict(getattr(request, "param", {}))


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache, in memory, shared by the apps of this run: each test's new app would otherwise
    parse and compile every template it renders again (a quarter of the time of a page test). Jinja checks
    each template's source against the cached code's checksum; the key also holds the environment's
    settings that change the compiled code, so an app configured otherwise compiles its own."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        autoescape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
        settings = repr((
            environment.block_start_string, environment.block_end_string, environment.variable_start_string,
            environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
            environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
            sorted(environment.extensions), environment.optimized, environment.is_async, autoescape,
            getattr(environment, "newstyle_gettext", None),
        ))
        return super().get_bucket(environment, f"{name}|{settings}", filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


@pytest.fixture
def app(database: Database, smtp_server: tuple[Controller, _Collector], app_config: dict[str, Any]):  # type: ignore[no-untyped-def]
    controller, collector = smtp_server
    collector.messages.clear()
    collector.refuse = False
    application = create_app({**testing_config(database.url, controller.port), **app_config})
    application.test_client_class = IsolatedClient
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with application.app_context():
        _empty_all_tables(database.backend)
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def mailbox(app, smtp_server) -> Mailbox:  # type: ignore[no-untyped-def]
    return Mailbox(smtp_server[1])


# --- people --------------------------------------------------------------------------------------


@pytest.fixture
def organization(app):  # type: ignore[no-untyped-def]
    from userhub.organizations.services import add_numbers, create_location, create_organization, ensure_package
    from userhub.phones import number_range

    org = create_organization("Acme", "https://acme.example.com")
    location = create_location(org, "Paris office", "FR", "Europe/Paris")
    add_numbers(location, number_range("+33 1 84 88 32 00", "+33 1 84 88 32 09", "FR"))
    ensure_package("webex_calling", "Webex Calling")
    ensure_package("webex_suite", "Webex Suite")
    db.session.commit()
    return org


@pytest.fixture
def make_user(app, organization):  # type: ignore[no-untyped-def]
    """make_user(email, first_name=..., active=True, password=STRONG_PASSWORD, admin_role=None, ...)"""
    from userhub.accounts.models import UserStatus
    from userhub.accounts.provisioning import create_user
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    def make(email: str = "jane.doe@example.com", *, active: bool = True, password: str | None = STRONG_PASSWORD,
             first_name: str = "Jane", last_name: str = "Doe", **kwargs: Any):  # type: ignore[no-untyped-def]
        user = create_user(organization, email, first_name=first_name, last_name=last_name, **kwargs)
        if active:
            user.status = UserStatus.ACTIVE.value
            user.activated_at = utcnow()
            user.display_name = f"{first_name} {last_name}".strip()
            if password:
                user.password_hash = hash_password(password)
        db.session.commit()
        return user

    return make


def sign_in(client, email: str, password: str = STRONG_PASSWORD):  # type: ignore[no-untyped-def]
    """Sign in the way a person does: the email address first, then the password."""
    client.post("/sign-in", data={"email": email})
    return client.post("/sign-in/password", data={"password": password})


@pytest.fixture
def user(make_user):  # type: ignore[no-untyped-def]
    return make_user()


@pytest.fixture
def jane(make_user, organization):  # type: ignore[no-untyped-def]
    """An employee of the Paris office with +33 1 84 88 32 00 and extension 3200."""
    location = organization.locations[0]
    return make_user("jane.doe@example.com", location=location, phone_number=location.phone_numbers[0],
                     extension="3200")


@pytest.fixture
def john(make_user, organization):  # type: ignore[no-untyped-def]
    """A colleague with +33 1 84 88 32 01 and extension 3201."""
    location = organization.locations[0]
    return make_user("john.smith@example.com", first_name="John", last_name="Smith", location=location,
                     phone_number=location.phone_numbers[1], extension="3201")


@pytest.fixture
def user_client(client, user):  # type: ignore[no-untyped-def]
    response = sign_in(client, user.email)
    assert response.status_code == 302, "the test user could not sign in"
    return client


@pytest.fixture
def admin(make_user):  # type: ignore[no-untyped-def]
    from userhub.accounts.models import AdminRole

    return make_user("admin@example.com", first_name="Ada", last_name="Admin", admin_role=AdminRole.FULL)


@pytest.fixture
def admin_client(app, admin):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = sign_in(client, admin.email)
    assert response.status_code == 302, "the test administrator could not sign in"
    return client
