"""Schedules: personal and location schedules, their events and recurrence, iCalendar import and export."""

from flask import Blueprint

bp = Blueprint("schedules", __name__)

from . import views  # noqa: E402,F401  (routes attach to bp)
