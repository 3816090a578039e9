"""Who may open what: every view needs a signed-in user unless it is marked public."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., object])

# Views an invited user who has a password but no display name yet may still open.
_ONBOARDING_ENDPOINTS = {"accounts.display_name", "accounts.sign_out", "accounts.set_language", "static"}


def public(view: F) -> F:
    """Mark a view as open to anonymous visitors (sign-in, activation, reset, static pages)."""
    view.userhub_public = True  # type: ignore[attr-defined]
    return view


def _enforce_sign_in():  # type: ignore[no-untyped-def]
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    view = current_app.view_functions.get(endpoint)
    if view is not None and getattr(view, "userhub_public", False):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if not current_user.is_active_user and endpoint not in _ONBOARDING_ENDPOINTS:
        return redirect(url_for("accounts.display_name"))
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce_sign_in)


def admin_required(*roles: str) -> Callable[[F], F]:
    """Allow only administrators with one of ``roles`` ("full", "user", "read_only"); others get 403.
    With no roles given, any administrator may open the view (read-only pages)."""
    from functools import wraps

    from flask import abort

    allowed = set(roles) or {"full", "user", "read_only"}

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: object, **kwargs: object) -> object:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.admin_role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def can_change_users(user: object) -> bool:
    """Full and user administrators change users and numbers; read-only administrators only look."""
    return getattr(user, "admin_role", None) in {"full", "user"}


def is_admin(user: object) -> bool:
    return getattr(user, "admin_role", None) in {"full", "user", "read_only"}
