"""Wiring of the web application: extensions, blueprints, security headers, errors, template helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_login import current_user
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import i18n
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import lazy_gettext as _l
from .phones import format_number
from .security.input import FieldTooLong, InvalidEncoding, TruncatedBody, UnexpectedContentType

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_extensions(app: Flask) -> None:
    if app.config["USERHUB_TRUSTED_PROXIES"]:
        hops = app.config["USERHUB_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    from .security import input as strict_input

    strict_input.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(i18n.TRANSLATIONS_DIR.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(i18n.TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    production = app.config["USERHUB_ENV"] == "production"
    Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy; HSTS below tells browsers to stay on https
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        content_security_policy=CSP,
        referrer_policy="no-referrer",  # activation and reset links carry tokens in their path
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        frame_options="DENY",
    )
    from .security import access, sessions  # noqa: F401  (sessions registers the user loader)

    access.init_app(app)
    app.after_request(_no_store_when_signed_in)
    app.context_processor(_template_helpers)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_foreign_keys(app)


def _sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless told so on every connection; cascades depend on them."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _no_store_when_signed_in(response):  # type: ignore[no-untyped-def]
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy string, translated when shown
    visible: Callable[[object], bool]
    order: int


def register_nav(app: Flask, endpoint: str, label: object, visible: Callable[[object], bool] | None = None,
                 order: int = 50, group: str = "main") -> None:
    """Let an area add itself to the main menu (or a tab group) without editing the base template."""
    entries = app.extensions.setdefault("userhub_nav", {}).setdefault(group, [])
    entries.append(NavEntry(endpoint, label, visible or (lambda user: True), order))
    entries.sort(key=lambda entry: entry.order)


def register_tab(app: Flask, group: str, endpoint: str, label: object, order: int = 50,
                 visible: Callable[[object], bool] | None = None) -> None:
    """Add a tab to a page group (e.g. "calling": Call settings, Schedules, Voicemail, Contacts)."""
    register_nav(app, endpoint, label, visible, order, group=group)


def _entries(group: str) -> list[dict[str, object]]:
    entries = current_app.extensions.get("userhub_nav", {}).get(group, [])
    here = request.endpoint or ""
    # Administrators' pages of other areas (/admin/calling/access, /admin/voicemail...) belong to the
    # administration entry of the main menu, not to the area's own entry.
    blueprint = "admin" if request.path.startswith("/admin/") else here.partition(".")[0]
    groups = current_app.extensions.get("userhub_nav", {})
    exact_tab = any(here == e.endpoint for e in entries)
    result = []
    for e in entries:
        if not (current_user.is_authenticated and e.visible(current_user)):
            continue
        own_blueprint = e.endpoint.partition(".")[0]
        if group == "main":
            # A page reached through a tab (a schedule, a voicemail greeting) belongs to the main entry whose
            # area leads that tab group: Settings > Calling stays highlighted on every calling tab.
            current = own_blueprint == blueprint or (
                blueprint != "admin" and any(_area_of(g, own_blueprint) and _area_of(g, blueprint)
                                             for name, g in groups.items() if name != "main"))
        else:
            # A tab stays highlighted on the pages below it (a schedule's page, a feature's page).
            current = here == e.endpoint or (not exact_tab and blueprint != "admin" and own_blueprint == blueprint)
        result.append({"url": url_for(e.endpoint), "label": e.label, "current": current, "endpoint": e.endpoint})
    return result


def _area_of(group: list[NavEntry], blueprint: str) -> bool:
    return any(e.endpoint.partition(".")[0] == blueprint for e in group)


def _nav_entries() -> list[dict[str, object]]:
    return _entries("main")


def _tabs(group: str) -> list[dict[str, object]]:
    return _entries(group)


def _template_helpers() -> dict[str, object]:
    return {
        "nav_entries": _nav_entries,
        "tabs": _tabs,
        "LANGUAGES": i18n.LANGUAGES,
        "current_locale": i18n.current_locale,
        "format_datetime": format_datetime,
        "format_number": format_number,
    }


def register_blueprints(app: Flask) -> None:
    from . import admin, calling, contacts, ops, routing, schedules, voicemail
    from .accounts import bp as accounts_bp
    from .dev import bp as dev_bp

    ops.init_app(app)
    app.register_blueprint(accounts_bp)
    # One blueprint per area of the product; each area's views.py registers its own menu entries and tabs.
    for area in (admin, calling, schedules, voicemail, contacts, routing):
        app.register_blueprint(area.bp)
    if app.config["USERHUB_DEMO_MAILBOX"]:
        app.register_blueprint(dev_bp)


_ERROR_MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You are not allowed to do this."),
    404: _l("This page does not exist."),
    405: _l("This action is not possible here."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts. Please wait a few minutes and try again."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        message = _l("This form has expired or was sent from elsewhere. Please reload the page and try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        own = isinstance(error, (InvalidEncoding, UnexpectedContentType, TruncatedBody, FieldTooLong))
        message = error.description if own else _ERROR_MESSAGES.get(code, error.description)
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        if isinstance(error, HTTPException):
            return http_error(error)
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            # The database connection died under this request (restart, failover): nothing was committed,
            # the pool drops the connection and the next request gets a fresh one.
            app.logger.warning("Database connection lost on %s %s", request.method, request.path)
            db.session.rollback()
            message = _l("The service is briefly unavailable. Please try again in a moment.")
            return render_template("errors/error.html", code=503, message=message), 503
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_template("errors/error.html", code=500, message=_ERROR_MESSAGES[500]), 500
