"""gunicorn's logger for the production layout (deploy/gunicorn.conf.py, logger_class): its error lines
("Error handling request <path>") and access lines, if turned on, go through the same redaction as the
application's own log, so no activation or reset link is written out."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.glogging import Logger

from . import redact


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class RedactingLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(RedactingFilter())
