"""Who may open what: every view needs a signed-in user unless it is marked public.

The decorators also leave a machine-readable ``view.access`` (an ``Access``) on each view, so that
the route access matrix in tests/security/ is generated from the URL map and checks every route
that any area adds, without a hand-kept list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., object])

ADMIN_ROLES = frozenset({"full", "user", "read_only"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Views an invited user who has a password but no display name yet may still open.
_ONBOARDING_ENDPOINTS = {"accounts.display_name", "accounts.sign_out", "accounts.set_language", "static"}


@dataclass(frozen=True)
class Access:
    """Who a view is for.

    public: anyone, signed in or not. Otherwise a signed-in person is needed and
    roles: the administrator roles allowed to read (None: every signed-in person);
    change_roles: the roles allowed to send state-changing requests (POST, PUT, PATCH, DELETE);
    organization_scoped: the URL names objects of one organization, so an administrator of another
    organization must be refused (403 or 404) even when their role would allow the view.
    """

    public: bool = False
    roles: frozenset[str] | None = None
    change_roles: frozenset[str] | None = None
    organization_scoped: bool = True

    def allows(self, role: str | None, method: str, signed_in: bool = True) -> bool:
        """Would a person with this administrator role (None: an employee) be let in?"""
        if self.public:
            return True
        if not signed_in:
            return False
        allowed = self.roles if method in SAFE_METHODS else (self.change_roles or self.roles)
        return allowed is None or role in allowed


SIGNED_IN = Access()


def access_of(view: Callable[..., object] | None) -> Access:
    """The declared access of a view; a view without any declaration is for signed-in people."""
    return getattr(view, "access", SIGNED_IN)


def public(view: F) -> F:
    """Mark a view as open to anonymous visitors (sign-in, activation, reset, static pages)."""
    view.userhub_public = True  # type: ignore[attr-defined]
    view.access = Access(public=True, organization_scoped=False)  # type: ignore[attr-defined]
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


def admin_required(*roles: str, change: Iterable[str] | None = None) -> Callable[[F], F]:
    """Allow only administrators with one of ``roles`` ("full", "user", "read_only"); others get 403.
    With no roles given, any administrator may open the view (read-only pages).
    ``change`` narrows who may send POST/PUT/PATCH/DELETE to the same view, e.g.
    ``@admin_required(change=("full", "user"))``: every admin reads, only full and user admins change."""
    unknown = (set(roles) | set(change or ())) - ADMIN_ROLES
    if unknown:
        raise ValueError(f"unknown administrator roles: {sorted(unknown)}")
    declared = Access(roles=frozenset(roles) or ADMIN_ROLES, change_roles=frozenset(change) if change else None)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: object, **kwargs: object) -> object:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not declared.allows(current_user.admin_role, request.method):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = declared  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def own_data(view: F) -> F:
    """Declare that a signed-in view only ever shows or changes the signed-in person's own data, so its
    URL arguments (if any) are not objects of the organization that other administrators could reach."""
    view.access = replace(access_of(view), organization_scoped=False)  # type: ignore[attr-defined]
    return view


def can_change_users(user: object) -> bool:
    """Full and user administrators change users and numbers; read-only administrators only look."""
    return getattr(user, "admin_role", None) in {"full", "user"}


def is_admin(user: object) -> bool:
    return getattr(user, "admin_role", None) in ADMIN_ROLES
