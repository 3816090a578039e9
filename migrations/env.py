"""Alembic environment, driven by Flask-Migrate (`flask --app userhub db ...`)."""

import logging
import warnings
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.exc import SAWarning

# SQLite's batch migrations reflect the tables a changed table refers to; the users list's expression
# indexes (0008) cannot be reflected, are never recreated by a batch of another table, and would print a
# warning on every fresh demo.
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index",
                        category=SAWarning)

config = context.config
app_handlers = logging.getLogger("userhub").handlers
if app_handlers:
    # The app logs already (JSON lines, `demo` and `db upgrade`): Alembic's lines go to the same handlers,
    # once. Alembic's file configuration would add a root handler that prints every app line a second time.
    alembic_logger = logging.getLogger("alembic")
    if alembic_logger.level == logging.NOTSET:  # unless the caller chose (the demo: warnings only)
        alembic_logger.setLevel(logging.INFO)
    alembic_logger.handlers[:] = app_handlers
    alembic_logger.propagate = False
elif config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

import userhub.models  # noqa: E402,F401  (every table, for autogenerate)

db = current_app.extensions["migrate"].db
target_metadata = db.metadata


def run_migrations_offline() -> None:
    context.configure(url=str(db.engine.url), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context, revision, directives):  # type: ignore[no-untyped-def]
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    connectable = config.attributes.get("connection") or db.engine
    if hasattr(connectable, "connect") and not hasattr(connectable, "dialect_options"):
        with connectable.connect() as connection:
            _run(connection, skip_empty)
    else:
        _run(connectable, skip_empty)


def _run(connection, process_revision_directives):  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        process_revision_directives=process_revision_directives,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if hasattr(connection, "commit"):
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
