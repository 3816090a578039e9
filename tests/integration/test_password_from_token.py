"""The step activation and password reset share (accounts.services.set_password_from_token): link check,
policy check, hash, link used up, sessions ended, sign-in lock lifted, signed in or not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import current_user

from tests.conftest import STRONG_PASSWORD, sign_in
from tests.links import open_link
from userhub.accounts import services
from userhub.accounts.models import TokenPurpose, User
from userhub.extensions import db
from userhub.security import hashing
from userhub.accounts.tokens import TokenState, check_token, issue_token

NEW = "Copper-Lantern-Meadow-58?"


def _link(user: User, purpose: TokenPurpose) -> str:
    issued = issue_token(user, purpose, timedelta(hours=1))
    db.session.commit()
    return issued.raw


def _lock(app, email: str) -> None:  # type: ignore[no-untyped-def]
    locked = app.test_client()
    locked.post("/sign-in", data={"email": email})
    for _ in range(10):
        locked.post("/sign-in/password", data={"password": "Wrong-Password-1!"})


@pytest.mark.parametrize("purpose", [TokenPurpose.ACTIVATION, TokenPurpose.PASSWORD_RESET])
def test_a_password_against_the_policy_changes_nothing_and_keeps_the_link(app, make_user, purpose):  # type: ignore[no-untyped-def]
    user = make_user(active=purpose == TokenPurpose.PASSWORD_RESET,
                     password=STRONG_PASSWORD if purpose == TokenPurpose.PASSWORD_RESET else None)
    raw = _link(user, purpose)
    before = user.password_hash
    with app.test_request_context("/"):
        with pytest.raises(services.PasswordRefused) as refused:
            services.set_password_from_token(raw, purpose, "short", sign_in=True)
        assert list(refused.value.field_errors) == ["password"]
        assert refused.value.field_errors["password"], "each broken rule is a sentence on the password field"
        assert not current_user.is_authenticated
    db.session.rollback()
    assert db.session.get(User, user.id).password_hash == before
    assert check_token(raw, purpose).state == TokenState.VALID


def test_the_step_hashes_uses_up_the_link_and_may_leave_the_browser_signed_out(app, user):  # type: ignore[no-untyped-def]
    raw = _link(user, TokenPurpose.PASSWORD_RESET)
    with app.test_request_context("/"):
        outcome = services.set_password_from_token(raw, TokenPurpose.PASSWORD_RESET, NEW, sign_in=False)
        assert outcome.ok
        assert not current_user.is_authenticated
    assert hashing.verify_password(db.session.get(User, user.id).password_hash, NEW)
    assert check_token(raw, TokenPurpose.PASSWORD_RESET).state == TokenState.USED
    with app.test_request_context("/"):
        again = services.set_password_from_token(raw, TokenPurpose.PASSWORD_RESET, NEW, sign_in=True)
        assert (again.ok, again.token_state) == (False, TokenState.USED)
        assert not current_user.is_authenticated


def test_the_step_signs_in_when_asked(app, user):  # type: ignore[no-untyped-def]
    raw = _link(user, TokenPurpose.PASSWORD_RESET)
    with app.test_request_context("/"):
        assert services.set_password_from_token(raw, TokenPurpose.PASSWORD_RESET, NEW, sign_in=True).ok
        assert current_user.is_authenticated and current_user.id == user.id


def test_a_link_of_the_other_purpose_is_refused(app, user):  # type: ignore[no-untyped-def]
    raw = _link(user, TokenPurpose.ACTIVATION)
    with app.test_request_context("/"):
        outcome = services.set_password_from_token(raw, TokenPurpose.PASSWORD_RESET, NEW)
    assert not outcome.ok and outcome.token_state != TokenState.VALID


def test_activation_lifts_the_sign_in_lock_too(app, make_user):  # type: ignore[no-untyped-def]
    """Someone hammered the new employee's address at the sign-in page before they activated: the first
    password works at once, as after a reset."""
    invited = make_user(active=False, password=None)
    _lock(app, invited.email)
    assert sign_in(app.test_client(), invited.email).status_code == 429
    raw = _link(invited, TokenPurpose.ACTIVATION)
    activation = app.test_client()
    assert activation.post(open_link(activation, f"/activate/{raw}"),
                           data={"password": NEW, "confirm": NEW}).status_code == 302
    assert sign_in(app.test_client(), invited.email, NEW).status_code == 302
