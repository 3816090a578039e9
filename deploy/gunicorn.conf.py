"""gunicorn settings of the README's production layout: gunicorn --config deploy/gunicorn.conf.py 'userhub:create_app()'."""

import os

# Behind the reverse proxy only: it terminates TLS and is the one trusted hop.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# About the number of cores (gunicorn's own WEB_CONCURRENCY variable).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# argon2 releases the GIL, so a sign-in does not hold up the page views of its worker.
threads = 4
graceful_timeout = 10
# gunicorn 24+ opens a control socket under ~/.gunicorn, one per user, which two sites on a machine would share;
# nothing here uses it. Older gunicorn ignores the unknown setting.
control_socket_disable = True
# Error lines (and access lines, if turned on) with activation and reset links redacted, as in the app's log.
logger_class = "userhub.ops.gunicorn_logging.RedactingLogger"
