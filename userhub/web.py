"""Wiring of the web application: extensions, blueprints, security headers, errors, template helpers."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
import flask_babel
from flask_babel import format_datetime
from flask_login import current_user
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import data, dev, i18n, nav, ops, unit_of_work
from .ops import connections
from .accounts import blueprint as accounts_blueprint
from .accounts import sessions  # noqa: F401  (registers the user loader)
from .admin import billing as admin_billing
from .admin import blueprint as admin_blueprint
from .calling import blueprint as calling_blueprint
from .contacts import blueprint as contacts_blueprint
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import lazy_gettext as _l
from .phones import format_number
from .routing import wiring as routing_wiring
from .schedules import blueprint as schedules_blueprint
from .sip import blueprint as sip_blueprint
from .security import access, bounds
from .security import input as strict_input
from .security.input import FieldTooLong, InvalidEncoding, TruncatedBody, UnexpectedContentType
from .voicemail import blueprint as voicemail_blueprint

# The modules whose routes (and commands) attach to their area's bp, in registration order: imported by
# the wiring, not by blueprint.py, so that imports run one way (views -> blueprint.py, never back).
from .accounts import views as _accounts_views  # noqa: F401
from .admin import views as _admin_views  # noqa: F401
from .admin import views_invitations as _admin_views_invitations  # noqa: F401
from .admin import views_locations as _admin_views_locations  # noqa: F401
from .admin import views_reports as _admin_views_reports  # noqa: F401
from .admin import views_wizard as _admin_views_wizard  # noqa: F401
from .admin import cli as _admin_cli  # noqa: F401
from .calling import views as _calling_views  # noqa: F401
from .calling import admin_views as _calling_admin_views  # noqa: F401
from .contacts import views as _contacts_views  # noqa: F401
from .schedules import views as _schedules_views  # noqa: F401
from .schedules import admin_views as _schedules_admin_views  # noqa: F401
from .sip import cli as _sip_cli  # noqa: F401
from .sip import views as _sip_views  # noqa: F401
from .sip import views_outgoing as _sip_views_outgoing  # noqa: F401
from .voicemail import views as _voicemail_views  # noqa: F401
from .voicemail import admin_views as _voicemail_admin_views  # noqa: F401

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
    bounds.register(app.url_map)  # before any blueprint adds its <int:...> rules
    strict_input.init_app(app)
    checked_by_socket = connections.checked_without_round_trip(app)  # PostgreSQL: no SELECT 1 per request
    db.init_app(app)
    if checked_by_socket:
        with app.app_context():
            connections.attach(db.engine)
    unit_of_work.init_app(app)  # the request edge commits
    migrate.init_app(app, db, directory=str(data.data_path("migrations")))
    csrf.init_app(app)
    limiter.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(i18n.compiled_catalogues(app))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    production = app.config["USERHUB_ENV"] == "production"
    from .security import origin

    origin.init_app(app)  # before Talisman: its per-page Referrer-Policy must be the one sent
    _Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy; HSTS below tells browsers to stay on https
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        content_security_policy=CSP,
        referrer_policy=origin.DEFAULT_POLICY,  # token pages get no-referrer from origin.init_app
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        frame_options="DENY",
    )
    access.init_app(app)
    app.after_request(_no_store_when_signed_in)
    app.context_processor(_template_helpers)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_foreign_keys(app)


class _Talisman(Talisman):
    """Talisman, minus its browser headers (CSP, frames, permissions, referrer, HSTS: built again for every
    response, about 370 Python calls) on a SIP server's question: a proxy reads the one line of JSON, no
    browser renders it. ``nosniff`` stays, in case a browser ever opens one. ``sip.asking.no_web_session``
    marks those requests; a request refused before it (the input checks, CSRF) gets every header."""

    def _set_response_headers(self, response):  # type: ignore[no-untyped-def]
        if g.get("sip_question"):
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
        return super()._set_response_headers(response)


def _sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless told so on every connection; cascades depend on them.
    WAL: readers and the one writer no longer block each other (the demo's job and mail threads
    read while a person saves); a writer waits up to 10 s for another's (short) transaction."""
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; in-memory databases stay "memory"
        # Commits without waiting for the disk: a power cut may lose the last ones, never corrupt (demo only).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _no_store_when_signed_in(response):  # type: ignore[no-untyped-def]
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def _template_helpers() -> dict[str, object]:
    return {
        "LANGUAGES": i18n.LANGUAGES,
        "current_locale": i18n.current_locale,
        "format_datetime": format_datetime,
        "format_number": format_number,
        "format_date": flask_babel.format_date,
        "format_decimal": flask_babel.format_decimal,
        "zone_name": i18n.zone_name,
    }


def register_blueprints(app: Flask) -> None:
    """One blueprint per area of the product; the menu and tabs are declared in nav.py."""
    ops.init_app(app)
    for blueprint in (accounts_blueprint.bp, admin_blueprint.bp, calling_blueprint.bp, schedules_blueprint.bp,
                      voicemail_blueprint.bp, contacts_blueprint.bp, sip_blueprint.bp):
        app.register_blueprint(blueprint)
    routing_wiring.init_app(app)  # the loop check and the routing panel, plugged into calling
    admin_billing.init_app(app)  # the package history, written at every flush that changes a package
    nav.init_app(app)
    if app.config["USERHUB_DEMO_MAILBOX"]:
        app.register_blueprint(dev.bp)


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
