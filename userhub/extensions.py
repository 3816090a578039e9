"""Flask extensions, created once and unbound; ``create_app`` binds them."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, registry

from .i18n import RequestBabel
from .security.origin import OriginCheckingCSRF
from .dbtypes import UTCDateTime


class Base(DeclarativeBase):
    # One registry, as Flask-SQLAlchemy subclasses this base: named constraints, so that Alembic can drop
    # and alter them on every database; every datetime column holds an aware UTC instant (timeutil).
    registry = registry(
        metadata=MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_N_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        ),
        type_annotation_map={datetime: UTCDateTime},
    )


db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    Model = Base  # db.Model is made at run time from Base: the type checker sees Base's typed mappings
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = OriginCheckingCSRF()  # the token, then where the request came from
babel = RequestBabel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)
# A view marked with this attribute counts its own limit (the SIP servers' questions, sip/asking.py: one hit on
# the limiter's strategy instead of its passes over the request); Flask-Limiter's own pass leaves it alone.
COUNTS_OWN_LIMIT = "userhub_counts_own_limit"


@limiter.request_filter
def _counts_own_limit() -> bool:
    return getattr(current_app.view_functions.get(request.endpoint or ""), COUNTS_OWN_LIMIT, False)
