"""SQL statements per request of every GET page, with 10 and with 100,000 users: the cost must stay flat.

Run from the repository root:

    python bench/bench_sql_counts.py                  # PostgreSQL (a private schema, dropped at the end)
    python bench/bench_sql_counts.py --db sqlite      # quicker, a temporary file
    python bench/bench_sql_counts.py --large 20000    # a smaller "large" organization

Pages are discovered from the URL map (every GET route; placeholders filled with the ids of an employee or a
location of the organization, as the security sweep does), opened by a full administrator and by an employee.
A page whose count grows with the number of users is marked GROWS and the exit status is 1. Not a test.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from userhub import create_app
from userhub.extensions import db

PASSWORD = "Violet-Harbour-Kettle-93!"


def fill_placeholders(rule, ids: dict[str, int]) -> str | None:  # type: ignore[no-untyped-def]
    path = rule.rule
    for name in rule.arguments:
        if name == "filename":
            return None
        value = ids.get(name) or (ids["location"] if "location" in name else ids["employee"] if "id" in name else None)
        if value is None:
            value = "A" * 43 if name == "token" else None
        if value is None:
            return None
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


def seed(size: int) -> dict[str, int]:
    """One organization of ``size`` users (an administrator and an employee who can sign in among them)."""
    from userhub.accounts.models import User
    from userhub.accounts.provisioning import create_user
    from userhub.organizations.services import add_numbers, create_location, create_organization, ensure_package
    from userhub.phones import number_range
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    org = create_organization("Acme", "https://acme.example.com")
    location = create_location(org, "Paris office", "FR", "Europe/Paris")
    add_numbers(location, number_range("+33 1 84 88 32 00", "+33 1 84 88 32 99", "FR"))
    ensure_package("webex_calling", "Webex Calling")
    people = {}
    for email, role in (("admin@example.com", "full"), ("employee@example.com", None)):
        user = create_user(org, email, first_name="Sample", last_name=email.split("@")[0], location=location)
        user.status, user.activated_at, user.display_name = "active", utcnow(), email
        user.password_hash, user.admin_role = hash_password(PASSWORD), role
        people[email] = user
    db.session.flush()
    rows = [dict(organization_id=org.id, email=f"user{n}@example.com", first_name="User", last_name=str(n),
                 display_name=f"User {n}", status="active" if n % 3 else "invited", location_id=location.id,
                 extension=str(100000 + n), locale="fr", time_zone="Europe/Paris") for n in range(size - 2)]
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(User), rows[start:start + 5000])
    db.session.commit()
    return {"employee": people["employee@example.com"].id, "location": location.id, "organization": org.id}


def count_statements(app, engine, paths: list[str]) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    """Requests run outside any application context, each in its own as on a server (no shared ``g``)."""
    counts: dict[tuple[str, str], int] = {}
    current = {"n": 0}

    def count(*_args) -> None:  # type: ignore[no-untyped-def]
        current["n"] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    for person in ("admin@example.com", "employee@example.com"):
        client = app.test_client()
        client.post("/sign-in", data={"email": person})
        assert client.post("/sign-in/password", data={"password": PASSWORD}).status_code == 302, person
        for path in paths:
            client.get(path)  # warm-up: first-time work (caches, the session's last-seen write) is not per-user
            current["n"] = 0
            response = client.get(path)
            counts[(path, person.split("@")[0])] = current["n"] if response.status_code < 500 else -1
    sa.event.remove(engine, "before_cursor_execute", count)
    return counts


def measure(url: str, size: int, reset) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32), "WTF_CSRF_ENABLED": False,
                      "USERHUB_ARGON2_PROFILE": "test", "RATELIMIT_ENABLED": False, "USERHUB_MAIL_TRANSPORT": "console"})
    with app.app_context():
        import userhub.models  # noqa: F401

        reset()
        db.create_all()
        ids = seed(size)
        paths = sorted({p for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())
                        and rule.endpoint not in ("static", "ops.healthz")
                        and (p := fill_placeholders(rule, ids))})
        engine = db.engine
        db.session.remove()
    result = count_statements(app, engine, paths)
    engine.dispose()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("USERHUB_TEST_POSTGRES_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    if args.db == "postgresql":
        schema = f"uh_sqlcount_{secrets.token_hex(4)}"
        url = f"{args.postgres}?options=-csearch_path%3D{schema}"
        admin = sa.create_engine(args.postgres)

        def reset() -> None:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    else:
        path = Path(tempfile.mkdtemp()) / "count.db"
        url = f"sqlite:///{path}"

        def reset() -> None:
            path.unlink(missing_ok=True)

    try:
        small = measure(url, args.small, reset)
        large = measure(url, args.large, reset)
    finally:
        if args.db == "postgresql":
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    print(f"SQL statements per request on {args.db}, {args.small} vs {args.large} users")
    print(f"{'page':44} {'as':9} {args.small:>8} {args.large:>8}")
    grows = 0
    for key in sorted(small):
        verdict = "" if small[key] == large.get(key) else "  GROWS"
        grows += bool(verdict)
        print(f"{key[0]:44} {key[1]:9} {small[key]:8} {large.get(key, -1):8}{verdict}")
    print("flat on every page" if not grows else f"{grows} page(s) grow with the number of users")
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main())
