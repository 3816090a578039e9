"""Package history for billing (user-days per package, users at the period's end) and the audit log."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from userhub.admin import billing
from userhub.admin.models import AuditEvent, PackageAssignment
from userhub.extensions import db


def _history(user_id: int) -> list[PackageAssignment]:
    return list(db.session.scalars(select(PackageAssignment).where(PackageAssignment.user_id == user_id)
                                   .order_by(PackageAssignment.id)))


def test_every_package_change_is_recorded_with_its_time(admin_client, make_user, paris, packages):
    user = make_user("bob@example.com", location=paris, extension="20", package=packages["webex_suite"])
    admin_client.post(f"/admin/users/{user.id}", data={"package": packages["webex_calling"].id,
                                                       "location": paris.id, "number": "", "extension": "20"})
    first, second = _history(user.id)
    assert first.package_id == packages["webex_suite"].id and first.ended_at is not None
    assert second.package_id == packages["webex_calling"].id and second.ended_at is None
    assert second.started_at == first.ended_at


def test_report_counts_user_days_and_users_at_the_end(organization, packages):
    suite, calling = packages["webex_suite"], packages["webex_calling"]

    def held(user_id: int, package, start: datetime, end: datetime | None) -> None:  # type: ignore[no-untyped-def]
        db.session.add(PackageAssignment(organization_id=organization.id, user_id=user_id, user_email=f"{user_id}@x.example.com",
                                         package_id=package.id, started_at=start, ended_at=end))

    held(1, suite, datetime(2026, 10, 1, tzinfo=UTC), None)  # the whole period and beyond: 61 days
    held(2, suite, datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))  # 10 days, gone before the end
    held(3, calling, datetime(2026, 12, 31, 12, tzinfo=UTC), None)  # half a day, present at the end
    held(4, calling, datetime(2027, 1, 5, tzinfo=UTC), None)  # after the period
    db.session.commit()
    lines = {line.package: line for line in billing.report(organization, date(2026, 11, 1), date(2026, 12, 31))}
    assert (lines["Webex Suite"].user_days, lines["Webex Suite"].users_at_end) == (71.0, 1)
    assert (lines["Webex Calling"].user_days, lines["Webex Calling"].users_at_end) == (0.5, 1)
    assert "Webex Suite,71.00,1\r\n" in billing.report_csv(list(lines.values()), "comma")
    # A French Excel reads "71,00" as a number; "71.00" would be text, or a date.
    assert "\r\nWebex Suite;71,00;1\r\n" in billing.report_csv(list(lines.values()))


def test_billing_page_and_csv(admin_client, make_user, paris, packages):
    make_user("bob@example.com", location=paris, extension="20", package=packages["webex_suite"])
    today = date.today()
    page = admin_client.get(f"/admin/billing?start={today}&end={today}").get_data(as_text=True)
    assert "Webex Suite" in page
    assert "format=comma" in page and "CSV (comma, UTF-8)" in page
    response = admin_client.get(f"/admin/billing.csv?start={today}&end={today}")
    assert response.mimetype == "text/csv" and response.data.startswith(b"\xef\xbb\xbfpackage;user_days;")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    suite = next(row for row in rows if row[0] == "Webex Suite")
    assert rows[0] == ["package", "user_days", "users_at_end"] and re.fullmatch(r"\d+,\d\d", suite[1]), rows
    plain = admin_client.get(f"/admin/billing.csv?start={today}&end={today}&format=comma").data
    rows = list(csv.reader(io.StringIO(plain.decode("utf-8"), newline="")))
    assert plain.startswith(b"package,") and ["Webex Suite", suite[1].replace(",", "."), "1"] in rows


def test_the_audit_log_records_who_did_what(admin_client, client_as, make_user, paris):
    user = make_user("bob@example.com", active=False)
    admin_client.post(f"/admin/users/{user.id}/invitation")
    admin_client.post(f"/admin/locations/{paris.id}/numbers", data={"first": "+33 1 84 88 32 50"})
    admin_client.post(f"/admin/users/{user.id}/delete")
    actions = [(e.actor_email, e.action, e.target) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == [("admin@example.com", "invitation.sent", "bob@example.com"),
                       ("admin@example.com", "numbers.added", "Paris office"),
                       ("admin@example.com", "user.deleted", "bob@example.com")]
    page = client_as("read_only").get("/admin/audit").get_data(as_text=True)
    assert "User deleted" in page and "admin@example.com" in page
