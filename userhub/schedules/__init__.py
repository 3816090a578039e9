"""Schedules: personal and location schedules, their events and recurrence, iCalendar import and export."""
