""""Forgot password": time of the request for an address with an account and for an unknown one.

If the request took longer for an existing account (a token made, a mail written), its timing would tell an
attacker who has an account. The request only records the ask; the mail worker decides and writes the mail.
This bench prints the medians of N tries of each (interleaved, so drifts of the machine hit both alike) and
their ratio; the goal is a ratio under 1.2. Not a test: it prints figures, it asserts nothing.

Run from the repository root:

    python bench/bench_forgot_password.py                  # PostgreSQL (a private schema, dropped at the end)
    python bench/bench_forgot_password.py --db sqlite      # a temporary file
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from userhub import create_app
from userhub.extensions import db

PASSWORD = "Violet-Harbour-Kettle-93!"


def seed() -> str:
    from userhub.accounts.provisioning import create_user
    from userhub.organizations.services import create_location, create_organization
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    org = create_organization("Acme", "https://acme.example.com")
    create_location(org, "Paris office", "FR", "Europe/Paris")
    user = create_user(org, "jane.doe@example.com", first_name="Jane", last_name="Doe")
    user.status, user.activated_at, user.display_name = "active", utcnow(), "Jane Doe"
    user.password_hash = hash_password(PASSWORD)
    db.session.commit()
    return user.email


def measure(url: str, tries: int) -> tuple[list[float], list[float]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32), "WTF_CSRF_ENABLED": False,
                      "USERHUB_ARGON2_PROFILE": "test", "RATELIMIT_ENABLED": False,
                      "USERHUB_MAIL_TRANSPORT": "console", "BABEL_DEFAULT_LOCALE": "en"})
    with app.app_context():
        import userhub.models  # noqa: F401

        db.create_all()
        known = seed()
        db.session.remove()
    client = app.test_client()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for attempt in range(tries + 5):  # the first 5 of each warm up (templates, connections), not counted
        for kind, email in (("known", known), ("unknown", f"nobody{attempt}@example.com")):
            started = time.perf_counter()
            response = client.post("/password/forgot", data={"email": email})
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            if attempt >= 5:
                times[kind].append(elapsed * 1000)
    with app.app_context():
        db.engine.dispose()
    return times["known"], times["unknown"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("USERHUB_TEST_POSTGRES_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    if args.db == "postgresql":
        schema = f"uh_forgot_{secrets.token_hex(4)}"
        url = f"{args.postgres}?options=-csearch_path%3D{schema}"
        admin = sa.create_engine(args.postgres)
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'forgot.db'}"
    try:
        known, unknown = measure(url, args.tries)
    finally:
        if args.db == "postgresql":
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    median_known, median_unknown = statistics.median(known), statistics.median(unknown)
    ratio = max(median_known, median_unknown) / min(median_known, median_unknown)
    print(f'"Forgot password" on {args.db}, medians of {args.tries} tries each')
    print(f"  address with an account: {median_known:7.2f} ms")
    print(f"  unknown address:         {median_unknown:7.2f} ms")
    print(f"  ratio (slower/faster):   {ratio:7.2f}  (goal: under 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
