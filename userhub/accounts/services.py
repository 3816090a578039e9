"""What happens to an account: invitations, activation, sign-in, passwords. Views call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from limits import parse_many
from sqlalchemy import or_, select

from ..errors import DomainError
from ..extensions import db, limiter
from ..i18n import gettext as _
from ..mail.outbox import deferred_writer, queue_deferred, queue_email
from ..search import containing
from ..security import hashing
from ..security.password_policy import PersonalDetails, check_password, rule_messages
from ..timeutil import utcnow
from . import sessions
from .models import TokenPurpose, User, UserStatus
from .tokens import IssuedToken, TokenCheck, TokenState, check_token, consume_token, issue_token

PASSWORD_RESET_ASK = "password_reset"  # kind of the outbox's deferred row for a reset ask
SIGN_IN_LIMIT = "10 per 15 minutes"  # tries per account at the password step of sign-in


def public_url(endpoint: str, **values: object) -> str:
    """An absolute link for an email, built on the configured public address, never the Host header."""
    # Bound by hand so that it works outside a request too (CLI, mail worker, tests).
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["USERHUB_BASE_URL"] + path


def activation_lifetime() -> timedelta:
    return timedelta(days=current_app.config["USERHUB_ACTIVATION_VALID_DAYS"])


# --- invitations ------------------------------------------------------------------------------


def send_invitation(user: User, now: datetime | None = None) -> IssuedToken:
    """Issue a fresh activation link (older ones stop working) and queue the activation email.
    Runs in the caller's transaction: commit to send, roll back and nothing leaves."""
    if user.status != UserStatus.INVITED:
        raise ValueError("only invited users receive activation emails")
    issued = issue_token(user, TokenPurpose.ACTIVATION, activation_lifetime(), now=now)
    organization = user.organization
    queue_email(
        user.email,
        "activation",
        user.locale,
        user=user,
        organization=organization,
        activation_url=public_url("accounts.activation_link", token=issued.raw),
        confirmation_code=issued.record.confirmation_code,
        valid_days=current_app.config["USERHUB_ACTIVATION_VALID_DAYS"],
        voicemail_url=public_url("voicemail.access_code"),  # the page where the PIN is set
        sign_in_url=public_url("accounts.sign_in"),
        desktop_app_url=current_app.config["USERHUB_DESKTOP_APP_URL"],
    )
    return issued


# --- passwords --------------------------------------------------------------------------------


def personal_details(user: User) -> PersonalDetails:
    return PersonalDetails(
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        display_name=user.display_name or "",
        email=user.email,
        organization=user.organization.name if user.organization else "",
        site=user.location.name if user.location else "",
    )


def password_problems(user: User, password: str) -> list[str]:
    """The rules the password breaks, as sentences in the reader's language (empty when accepted)."""
    messages = rule_messages()
    return [str(messages[rule]) for rule in check_password(password, personal_details(user))]


def _set_password(user: User, password: str) -> None:
    user.password_hash = hashing.hash_password(password)
    user.password_changed_at = utcnow()


@dataclass(frozen=True)
class Outcome:
    """Result of a step from a link: done, or the state of a link that cannot be used."""

    ok: bool
    token_state: TokenState | None = None


class PasswordRefused(DomainError):
    """The new password breaks the policy (each broken rule's sentence on ``password``) or the current
    password is wrong (on ``current_password``)."""


def sign_in_limit_key(email: str) -> str:
    """Rate-limit key of the account being tried (whether or not it exists)."""
    return "account:" + email.strip().lower()[:254]


def lift_sign_in_lock(email: str) -> None:
    """The person proved they own the account (a link sent to its address): lift its sign-in lock at once,
    instead of refusing the new password for up to 15 minutes. Flask-Limiter counts a route's limit under
    (key, endpoint)."""
    for item in parse_many(SIGN_IN_LIMIT):
        limiter.limiter.clear(item, sign_in_limit_key(email), "accounts.sign_in_password")


def set_password_from_token(raw_token: str, purpose: TokenPurpose, password: str, sign_in: bool = True) -> Outcome:
    """The step activation and password reset share: check the link, check the password against the
    policy (``PasswordRefused``: nothing changes, the link still works), hash it, use up the link (two
    tabs racing: one wins, the other sees "already used"), sign the account out everywhere, lift its
    sign-in lock, and sign in on this browser when ``sign_in``. A link that cannot be used: ``Outcome``
    with its ``token_state``."""
    checked = check_token(raw_token, purpose)
    if checked.state != TokenState.VALID or checked.token is None:
        return Outcome(False, token_state=checked.state)
    user = checked.token.user
    problems = password_problems(user, password)
    if problems:
        raise PasswordRefused(fields={"password": problems})
    if not consume_token(checked.token):  # nothing written: the conditional UPDATE matched no row
        return Outcome(False, token_state=TokenState.USED)
    _set_password(user, password)
    sessions.end_all_sessions(user)  # whoever knew the old password is signed out everywhere
    lift_sign_in_lock(user.email)
    if sign_in:
        sessions.start_session(user)
    return Outcome(True)


def check_activation(raw_token: str) -> TokenCheck:
    return check_token(raw_token, TokenPurpose.ACTIVATION)


def activate(raw_token: str, password: str) -> Outcome:
    """Create the first password from an activation link, then sign the user in on this browser.
    The user becomes active once they have chosen their display name."""
    return set_password_from_token(raw_token, TokenPurpose.ACTIVATION, password, sign_in=True)


def choose_display_name(user: User, display_name: str) -> None:
    """Save the name shown to people the user calls; the first time, the account becomes active."""
    user.display_name = display_name.strip()
    if user.status == UserStatus.INVITED:
        user.status = UserStatus.ACTIVE.value
        user.activated_at = utcnow()


def default_display_name(user: User) -> str:
    return (user.display_name or user.full_name)[:80]


# --- sign-in ----------------------------------------------------------------------------------


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    """The user when the address and password match an account that has a password, else None.
    Every failure costs one hash verification, so timing tells nothing either."""
    user = find_user(email)
    password_hash = user.password_hash if user is not None else None
    if not hashing.verify_password(password_hash, password) or user is None:
        return None
    if hashing.needs_rehash(user.password_hash or ""):
        _set_password(user, password)
    return user


def sign_in(user: User) -> None:
    sessions.start_session(user)


def sign_out() -> None:
    sessions.end_session()


# --- password reset and change ----------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Record the ask; say nothing either way. Whether the address has an account is decided by the mail
    worker (write_reset_email), not here: the request costs the same for any address, so its timing tells
    nobody who has an account (bench/bench_forgot_password.py)."""
    queue_deferred(PASSWORD_RESET_ASK, email)


@deferred_writer(PASSWORD_RESET_ASK)
def write_reset_email(email: str) -> None:
    """In the mail worker: a reset link to the address if it belongs to an account with a password."""
    user = find_user(email)
    if user is None or not user.password_hash:
        return
    issued = issue_token(
        user, TokenPurpose.PASSWORD_RESET, timedelta(minutes=current_app.config["USERHUB_RESET_VALID_MINUTES"])
    )
    queue_email(
        user.email,
        "password_reset",
        user.locale,
        user=user,
        reset_url=public_url("accounts.reset_link", token=issued.raw),
        valid_minutes=current_app.config["USERHUB_RESET_VALID_MINUTES"],
    )


def check_reset(raw_token: str) -> TokenCheck:
    return check_token(raw_token, TokenPurpose.PASSWORD_RESET)


def reset_password(raw_token: str, password: str) -> Outcome:
    """A new password from a reset link; signed in on this browser, signed out everywhere else."""
    return set_password_from_token(raw_token, TokenPurpose.PASSWORD_RESET, password, sign_in=True)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Raises ``PasswordRefused`` (the current password wrong, or the new one against the policy)."""
    if not hashing.verify_password(user.password_hash, current_password):
        raise PasswordRefused(_("Your current password is not correct."), field="current_password")
    problems = password_problems(user, new_password)
    if problems:
        raise PasswordRefused(fields={"password": problems})
    _set_password(user, new_password)
    sessions.end_all_sessions(user)
    sessions.start_session(user)


def save_locale(user: User | None, locale: str) -> None:
    if user is not None:
        user.locale = locale


def directory_search(reader: User, query: str, limit: int = 20) -> list[User]:
    """Active colleagues of ``reader`` whose name or address contains ``query`` (typed text, not a pattern),
    or whose extension is ``query``."""
    return list(db.session.scalars(
        select(User)
        .where(
            User.organization_id == reader.organization_id,
            User.status == UserStatus.ACTIVE.value,
            or_(
                containing(User.display_name, query),
                containing(User.first_name + " " + User.last_name, query),
                containing(User.email, query),
                User.extension == query,
            ),
        )
        .order_by(User.display_name)
        .limit(limit)
    ))
