"""gunicorn settings of the README's production layout: gunicorn --config deploy/gunicorn.conf.py 'userhub:create_app()'."""

import os

# Behind the reverse proxy only: it terminates TLS and is the one trusted hop.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# About the number of cores (gunicorn's own WEB_CONCURRENCY variable).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# argon2 releases the GIL, so a sign-in does not hold up the page views of its worker. A decision server (one
# that SIP proxies alone ask, README "Connect a SIP server") runs GUNICORN_THREADS=1: its requests are short and
# sign in nobody, and threads sharing one interpreter lock tripled the decision's p99 (bench_call_decision.py).
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
graceful_timeout = 10
# gunicorn 24+ opens a control socket under ~/.gunicorn, one per user, which two sites on a machine would share;
# nothing here uses it. Older gunicorn ignores the unknown setting.
control_socket_disable = True
# Error lines (and access lines, if turned on) with activation and reset links redacted, as in the app's log.
logger_class = "userhub.ops.gunicorn_logging.RedactingLogger"


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Once the worker has loaded the application: its objects (modules, the app, SQLAlchemy's mappers, the
    catalogues: about 125,000) move out of the garbage collector's reach. A full collection otherwise walks
    them all (about 60 ms of CPU on the shared 2-core machine), in the middle of whatever request happened to
    trigger it: the tail of the call decision. The request's own objects are still collected as before
    (default thresholds: a larger first generation makes each of its pauses longer, measured)."""
    import gc

    gc.collect()
    gc.freeze()
