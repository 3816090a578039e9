"""Where will my call go?: the routing evaluator, its panel, and loop checks when saving."""

from flask import Blueprint

bp = Blueprint("routing", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
