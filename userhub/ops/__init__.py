"""Operations: health and readiness endpoints, request ids and structured logs."""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
import re
import secrets
import time
from datetime import timedelta

from babel import Locale
from flask import Blueprint, Flask, Response, g, has_request_context, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from sqlalchemy import func, select, text
from sqlalchemy.orm import configure_mappers

from ..extensions import csrf, db, limiter
from ..i18n import LANGUAGES, gettext
from ..mail.models import OutboxMessage
from ..security.access import public
from ..timeutil import utcnow

bp = Blueprint("ops", __name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Never log these, whatever a handler passes to the logger: (pattern, replacement).
_SECRET_PATTERNS = [
    (re.compile(r"(/activate/|/password/reset/)[A-Za-z0-9_-]+"), r"\1[redacted]"),
    (re.compile(r"(password|pin|token|csrf_token|confirm)=([^&\s]+)", re.I), r"\1=[redacted]"),
    # What people typed, as a database error quotes it: SQLAlchemy's parameter list (the engine hides it
    # already, hide_parameters; this also covers an engine made elsewhere) and PostgreSQL's DETAIL line.
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: [redacted]]"),
    (re.compile(r"(DETAIL: +Key \([^)\n]*\)=)\([^\n]*"), r"\1([redacted])"),
    (re.compile(r"(DETAIL: +Failing row contains )\([^\n]*"), r"\1([redacted])"),
]


@bp.get("/healthz")
@public
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
@public
@limiter.exempt
def readyz() -> ResponseReturnValue:
    """Readiness: the database answers; the outbox backlog is reported (and old backlog flagged)."""
    try:
        db.session.execute(text("select 1"))
        pending = db.session.scalar(
            select(func.count()).where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        ) or 0
        oldest = db.session.scalar(
            select(func.min(OutboxMessage.created_at)).where(
                OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
            )
        )
    except Exception as exc:  # any database failure means "not ready"
        db.session.rollback()
        return jsonify(status="unavailable", database=type(exc).__name__), 503
    stale = oldest is not None and utcnow() - oldest > timedelta(minutes=15)
    return jsonify(status="ok", database="ok", outbox_pending=pending, outbox_stale=stale)


def warm_up(app: Flask) -> None:
    """Do before the first request what the first requests would otherwise do: import every module,
    set up the database mappings, compile every template, read each language's catalogue and its CLDR
    data. The first people a worker serves then do not wait for it, and a worker starts with the memory
    it serves with (bench/bench_load.py measures both)."""
    for module in pkgutil.walk_packages([app.root_path], f"{app.import_name}."):  # the app's own package
        importlib.import_module(module.name)
    configure_mappers()
    for name in app.jinja_env.list_templates(extensions=("html", "txt")):
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in LANGUAGES:
            with force_locale(language):
                gettext("Save")
            Locale.parse(language).territories  # loads the language's whole CLDR data  # noqa: B018
    from ..security.password_policy import load_word_lists

    load_word_lists()  # about 0.3 s of CPU the first sign-up or activation would otherwise wait for


def redact(message: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        message = pattern.sub(replacement, message)
    return message


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id, and secrets removed from the message."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = g.get("request_id")
        return True


def _start_request() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
    g.request_started = time.perf_counter()


def _end_request(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if request.endpoint not in ("static", "ops.healthz"):
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        logging.getLogger("userhub.access").info(
            "%s %s %s %.1fms", request.method, redact(request.path), response.status_code, elapsed
        )
    return response


def _end_session_safely(app: Flask) -> None:
    """Flask-SQLAlchemy ends each request's session at teardown, after the response is made and outside
    Flask's error handling: a ROLLBACK on a connection the database has just terminated raised there, and
    gunicorn replaced the finished page with its bare "Internal Server Error". Whatever the view did is
    already decided at that point (committed, or lost with the connection), so its response stands:
    the dead connection is dropped from the pool and the loss logged."""
    from sqlalchemy.exc import SQLAlchemyError

    original = next(func for func in app.teardown_appcontext_funcs
                    if getattr(func, "__func__", None) is type(db)._teardown_session)

    def end_session(exception: BaseException | None = None) -> None:
        try:
            original(exception)
        except SQLAlchemyError as error:
            logging.getLogger("userhub.ops").warning(
                "Database connection lost while ending the request: %s", type(error).__name__)
            try:
                db.session.registry().invalidate()  # closes the dead connection without a ROLLBACK
            except SQLAlchemyError:
                pass
            db.session.registry.clear()

    app.teardown_appcontext_funcs[app.teardown_appcontext_funcs.index(original)] = end_session


def init_app(app: Flask) -> None:
    _end_session_safely(app)
    app.register_blueprint(bp)
    csrf.exempt(bp)
    # First of all before-request functions: a request refused by an earlier one (the input checks' 400,
    # 413 and 415, CSRF's 400) still gets its id, in its response and its log line.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_end_request)
    if not app.config.get("TESTING") or app.config.get("USERHUB_JSON_LOGS"):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(_RequestIdFilter())
        root = logging.getLogger("userhub")
        if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
            root.addHandler(handler)
        root.setLevel(logging.INFO)
        app.logger.handlers[:] = [handler]
