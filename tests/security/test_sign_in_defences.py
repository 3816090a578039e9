"""Sign-in tells nothing about accounts, by its words or its timing."""

from __future__ import annotations

import statistics
import time

import pytest

from tests.conftest import STRONG_PASSWORD
from userhub.extensions import db

GENERIC = b"The email address or the password is not correct."


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    # The production hashing cost: the point is that every failure pays it, known account or not.
    return {"USERHUB_ARGON2_PROFILE": "rfc9106_low_memory"}


def _attempt_seconds(app, email: str, password: str) -> float:  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/sign-in", data={"email": email})
    started = time.perf_counter()
    response = client.post("/sign-in/password", data={"password": password})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400 and GENERIC in response.data
    return elapsed


def test_unknown_invited_deleted_and_wrong_password_take_about_the_same_time(backend, app, make_user):
    if backend == "postgresql":
        pytest.skip("the time is the hash's, the same on both databases; one run is enough")
    make_user("jane.doe@example.com")
    make_user("new.person@example.com", active=False, password=None)
    gone = make_user("gone@example.com")
    db.session.delete(gone)
    db.session.commit()
    cases = {
        "wrong password": ("jane.doe@example.com", "Wrong-Password-123!"),
        "unknown": ("nobody@example.com", STRONG_PASSWORD),
        "invited": ("new.person@example.com", STRONG_PASSWORD),
        "deleted": ("gone@example.com", STRONG_PASSWORD),
    }
    _attempt_seconds(app, "warm.up@example.com", "x")  # the first dummy hash is computed once per process
    medians = {case: statistics.median(_attempt_seconds(app, *args) for _ in range(3)) for case, args in cases.items()}
    reference = medians["wrong password"]
    assert reference > 0.01, "the test must run with the real argon2 cost"
    for case, seconds in medians.items():
        assert 0.5 * reference < seconds < 2 * reference, f"{case}: {seconds:.3f}s vs wrong password {reference:.3f}s"
