"""Refuse request bodies the application cannot read faithfully.

Werkzeug silently drops or rewrites form fields that are not valid UTF-8 (raw bytes vanish, percent-escapes are
kept literally, multipart bytes become U+FFFD). A person would then see their input changed without a word, so
such requests are refused with a clear 400 instead, and unexpected content types with a 415.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

_FLAG = "userhub.invalid_encoding"
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class InvalidEncoding(BadRequest):
    description = _l("The form contains characters that could not be read. Please type them again.")  # type: ignore[assignment]


class UnexpectedContentType(UnsupportedMediaType):
    description = _l("This kind of content is not accepted here. Please send the form from the page.")  # type: ignore[assignment]


def _valid_utf8(encoded: bytes) -> bool:
    for pair in encoded.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


class StrictDecoding:
    """WSGI middleware: checks URL-encoded bodies and query strings before Werkzeug parses them."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], max_length: int | None) -> None:
        self.wsgi_app = wsgi_app
        self.max_length = max_length

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not _valid_utf8(environ.get("QUERY_STRING", "").encode("latin-1")):
            environ[_FLAG] = True
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if content_type == "application/x-www-form-urlencoded" and 0 < length <= (self.max_length or length):
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            if not _valid_utf8(body):
                environ[_FLAG] = True
        return self.wsgi_app(environ, start_response)


def _check_request() -> None:
    if request.environ.get(_FLAG):
        raise InvalidEncoding()
    if request.method in _BODY_METHODS and request.content_length:
        if request.mimetype not in _FORM_TYPES:
            raise UnexpectedContentType()
        if request.mimetype == "multipart/form-data" and any("\ufffd" in v for v in request.form.values()):
            raise InvalidEncoding()


def init_app(app: Flask) -> None:
    app.wsgi_app = StrictDecoding(app.wsgi_app, app.config.get("MAX_CONTENT_LENGTH"))  # type: ignore[method-assign]
    # First of all checks: CSRF protection reads the form too.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_request)
