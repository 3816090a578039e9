"""Settings > Calling > Call settings: one small unit per calling feature on shared machinery."""

from flask import Blueprint

bp = Blueprint("calling", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
