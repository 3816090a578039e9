"""Server-side validity of sign-in sessions.

Flask's signed cookie alone cannot be revoked: a copy taken before sign-out would still work.
Each sign-in therefore creates a ``UserSession`` row; the cookie carries a random key, and the
user loader accepts the cookie only while that row exists and is neither idle nor too old.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import Select, bindparam, delete, select

from ..extensions import db, login_manager
from ..timeutil import utcnow
from .models import User, UserSession

_SESSION_KEY = "sk"
_TOUCH_EVERY = timedelta(minutes=1)  # write last_seen_at at most once a minute per session


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User) -> None:
    """Sign the user in on this browser with a fresh session (the old cookie content is dropped)."""
    # Given the `current_user` proxy, Flask-Login would store the proxy as its own target.
    user = user._get_current_object() if hasattr(user, "_get_current_object") else user
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_hash(key)))
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[_SESSION_KEY] = key
    session.permanent = True
    login_user(user)


def end_session() -> None:
    """Sign out this browser: its session row goes, so a copied cookie is worthless."""
    key = session.get(_SESSION_KEY)
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _hash(key)))
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def end_all_sessions(user: User) -> None:
    """End every session of the user (password changed, user deleted)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


@cache
def _session_query() -> Select[UserSession, User]:
    """Every signed-in request runs it: built once, with bound parameters."""
    return (select(UserSession, User).join(User, User.id == UserSession.user_id)
            .where(UserSession.key_hash == bindparam("key_hash"), User.id == bindparam("user_id")))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    key = session.get(_SESSION_KEY)
    if not key or not user_id.isdigit():
        return None
    row = db.session.execute(_session_query(), {"key_hash": _hash(key), "user_id": int(user_id)}).first()
    if row is None:
        return None
    user_session, user = row
    now = utcnow()
    idle = timedelta(minutes=current_app.config["USERHUB_SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["USERHUB_SESSION_ABSOLUTE_HOURS"])
    if now - user_session.last_seen_at > idle or now - user_session.created_at > absolute:
        db.session.delete(user_session)  # committed at the request's edge with the sign-in redirect
        return None
    if now - user_session.last_seen_at > _TOUCH_EVERY:
        user_session.last_seen_at = now
    return user
