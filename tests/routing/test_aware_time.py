"""One rule for time: aware UTC everywhere in the domain. A naive datetime reaching the schedules engine or
the routing evaluator is refused at their doors, and the pages that mix stored rows with "now" (the Calling
overview, the administrator's page of a user) work when a rule names a schedule that has an event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tests.conftest import sign_in
from userhub.schedules import engine
from userhub.timeutil import NaiveDatetimeError, require_aware, utcnow

SIM = "simultaneous-ring"
NAIVE = datetime(2026, 12, 7, 9, 0)
AWARE = NAIVE.replace(tzinfo=UTC)


def _weekly_rule() -> engine.EventRule:
    return engine.EventRule(start_date=date(2026, 1, 5), end_date=date(2026, 1, 5), start_time=time(9),
                            end_time=time(17), recurrence="weekly", weekdays=("MO",))


def test_the_clock_is_aware_utc():
    now = utcnow()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    with pytest.raises(NaiveDatetimeError, match="at"):
        require_aware(NAIVE, "at")
    assert require_aware(AWARE, "at") is AWARE


@pytest.mark.parametrize("call", [
    lambda s: engine.in_effect(s, NAIVE),
    lambda s: engine.schedule_occurrences(s, NAIVE, AWARE + timedelta(days=1)),
    lambda s: engine.schedule_occurrences(s, AWARE, NAIVE + timedelta(days=1)),
    lambda s: engine.occurrences(s.events[0], s.time_zone, NAIVE, AWARE),
], ids=["in_effect", "occurrences-start", "occurrences-end", "event-occurrences"])
def test_the_schedules_engine_refuses_a_naive_datetime(call):
    schedule = engine.ScheduleRule("Europe/Paris", [_weekly_rule()])
    assert engine.in_effect(schedule, AWARE)  # Monday 09:00 UTC is 10:00 in Paris: open
    with pytest.raises(NaiveDatetimeError):
        call(schedule)


def test_the_routing_evaluator_refuses_a_naive_now(app):
    from userhub.routing.forms import TryCallForm, incoming_call
    from userhub.routing.loops import Directory, never_in_effect, overview_warnings
    from userhub.routing.inputs import RoutingSettings, Schedule

    with app.test_request_context("/"):
        with pytest.raises(NaiveDatetimeError):
            incoming_call(TryCallForm({}, region="FR"), "Europe/Paris", NAIVE)
        assert incoming_call(TryCallForm({}, region="FR"), "Europe/Paris", AWARE) is not None
    with pytest.raises(NaiveDatetimeError):
        overview_warnings(RoutingSettings(), Directory({}), NAIVE)
    with pytest.raises(NaiveDatetimeError):
        never_in_effect(Schedule("Sometimes", lambda at: True), NAIVE)


def test_datetimes_read_back_from_the_database_are_aware_utc(app, jane):
    from userhub.accounts.models import User
    from userhub.extensions import db

    db.session.expire_all()
    created = db.session.get(User, jane.id).created_at
    assert created.tzinfo is not None and created.utcoffset() == timedelta(0)
    assert abs(utcnow() - created) < timedelta(minutes=5)


def test_a_naive_datetime_is_never_stored(app, jane):
    from userhub.extensions import db

    jane.activated_at = NAIVE
    with pytest.raises(Exception) as raised:
        db.session.commit()
    db.session.rollback()
    assert isinstance(raised.value, NaiveDatetimeError) or isinstance(
        getattr(raised.value, "orig", None), NaiveDatetimeError)


def test_a_stored_instant_keeps_its_value_whatever_its_offset(app, jane):
    from zoneinfo import ZoneInfo

    from userhub.accounts.models import User
    from userhub.extensions import db

    jane.activated_at = datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Paris"))  # 01:30 UTC
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, jane.id).activated_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


@pytest.fixture
def schedule_with_events(jane):  # type: ignore[no-untyped-def]
    from userhub.schedules import services

    events = [
        services.EventInput(name="Nights", start_date=date(2026, 11, 23), end_date=date(2026, 11, 24),
                            start_time=time(18), end_time=time(8), recurrence="weekly",
                            weekdays=("MO", "TU", "WE", "TH", "FR")),
        services.EventInput(name="Seminar", start_date=date(2026, 12, 10), end_date=date(2026, 12, 10),
                            start_time=time(9), end_time=time(12)),
    ]
    return services.create_schedule(jane, "Evenings", "business_hours", events)


def _rule_on(schedule) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"criteria-0-name": "Evenings", "criteria-0-rule": "on", "criteria-0-calls_from": "any",
            "criteria-0-schedule": f"personal:{schedule.type}:{schedule.id}", "enabled": "y",
            "numbers-0-phone_number": "06 12 34 56 78"}


def test_the_overview_and_the_admin_page_show_a_user_whose_rule_names_a_schedule_with_events(
        app, jane, admin_client, schedule_with_events):
    from tests.calling.conftest import save

    client = app.test_client()
    assert sign_in(client, jane.email).status_code == 302
    response = save(client, SIM, _rule_on(schedule_with_events))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    overview = client.get("/settings/calling")
    assert overview.status_code == 200
    assert client.get("/settings/calling?day=2026-12-10&time=10:00").status_code == 200
    assert admin_client.get(f"/admin/users/{jane.id}").status_code == 200


def test_every_datetime_column_stores_aware_utc():
    from sqlalchemy import DateTime

    import userhub.models  # noqa: F401  (the whole schema)
    from userhub.extensions import db
    from userhub.dbtypes import UTCDateTime

    columns = [f"{t.name}.{c.name}" for t in db.metadata.sorted_tables for c in t.columns
               if isinstance(c.type, DateTime | UTCDateTime)]
    assert "users.created_at" in columns
    plain = [f"{t.name}.{c.name}" for t in db.metadata.sorted_tables for c in t.columns
             if isinstance(c.type, DateTime)]
    assert not plain, f"declare these as Mapped[datetime] (UTCDateTime), not DateTime: {plain}"


def test_the_clock_is_read_in_one_place():
    """datetime.now(), utcnow(), today() outside userhub/timeutil.py would each be a clock of their own."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "userhub"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "timeutil.py" and path.parent == root:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("now", "utcnow", "today", "fromtimestamp", "utcfromtimestamp")
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("datetime", "date")):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert not found, f"read the time with userhub.timeutil.utcnow(): {found}"
