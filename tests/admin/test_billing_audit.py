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


def _audit_details(client) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(What, Details) of each row of the audit page, newest first."""
    import html as html_module

    page = client.get("/admin/audit").get_data(as_text=True)
    body = page[page.index('<tbody role="rowgroup">'):page.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*><td[^>]*>.*?</td><td[^>]*>.*?</td><td[^>]*>(.*?)</td><td[^>]*>.*?</td><td[^>]*>(.*?)</td></tr>", body)
    return [(html_module.unescape(what), html_module.unescape(details)) for what, details in rows]


def test_audit_entries_are_stored_as_data_and_written_in_the_reader_s_language(admin_client, make_user, paris,
                                                                                packages, organization):
    from userhub.admin import audit

    user = make_user("bob@example.com", location=paris, extension="3205")
    # An entry from before the parameters: its English text is shown as it is, in every language.
    db.session.add(AuditEvent(organization_id=organization.id, action="users.imported", target="Acme",
                              details="3000 rows", created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()
    admin_client.post(f"/admin/locations/{paris.id}/numbers", data={"first": "+33 1 84 88 32 50",
                                                                   "last": "+33 1 84 88 32 52"})
    admin_client.post(f"/admin/users/{user.id}", data={"package": packages["webex_suite"].id, "location": paris.id,
                                                      "number": "+33184883205", "extension": "3206"})
    with admin_client.application.test_request_context():
        audit.record(organization, "users.imported", "Acme", {"count": 3000})
        audit.record(organization, "location.created", "Lyon", {"country": "DE", "time_zone": "Europe/Berlin"})
        audit.record(organization, "voicemail.fax_messaging", "Acme", {"allowed": False})
        db.session.commit()
    stored = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.params, e.details) for e in stored[1:3]] == [
        ("numbers.added", {"count": 3, "first": "+33184883250", "last": "+33184883252"}, ""),
        ("user.changed", {"changes": {"package": [None, "Webex Suite"], "number": [None, "+33184883205"],
                                      "extension": ["3205", "3206"]}}, ""),
    ]
    assert _audit_details(admin_client) == [
        ("Fax messaging setting changed", "Fax messaging not allowed"),
        ("Location created", "Germany, time zone Central European Time (Berlin)"),  # no raw zone id
        ("Users imported", "3,000 rows"),
        ("User changed", "Package: — → Webex Suite; Phone number: — → +33 1 84 88 32 05; Extension: 3205 → 3206"),
        ("Numbers added", "3 numbers: +33 1 84 88 32 50 – +33 1 84 88 32 52"),
        ("Users imported", "3000 rows"),
    ]
    admin_client.post("/language", data={"locale": "fr"})
    nbsp, thin = "\u00a0", "\u202f"
    french = [details for _what, details in _audit_details(admin_client)]
    assert french[0] == "Messagerie fax non autorisée"
    assert french[1] == "Allemagne, fuseau horaire heure d’Europe centrale (Berlin)"
    assert french[2] in (f"3{thin}000 lignes", f"3{nbsp}000 lignes")
    assert french[3] == (f"Pack{nbsp}: — → Webex Suite{nbsp}; Numéro de téléphone{nbsp}: — → +33 1 84 88 32 05{nbsp}; "
                         f"Numéro interne{nbsp}: 3205 → 3206")
    assert french[4] == f"3 numéros{nbsp}: +33 1 84 88 32 50 – +33 1 84 88 32 52"
    assert french[5] == "3000 rows"
    # When: the reader's date format and time zone (the administrator's location is in Paris, UTC+1 in January).
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert re.findall(r"<tr[^>]*><td[^>]*>(.*?)</td>", page)[-1] == "1 janv. 2026, 01:00:00"


def test_a_user_page_saved_as_it_was_writes_no_audit_entry(admin_client, make_user, paris, packages):
    user = make_user("bob@example.com", location=paris, extension="3205")
    data = {"package": "", "location": paris.id, "number": "", "extension": "3205"}
    assert admin_client.post(f"/admin/users/{user.id}", data=data).status_code == 302
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "user.changed")).all() == []
    assert admin_client.post(f"/admin/users/{user.id}", data={**data, "extension": "3206"}).status_code == 302
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "user.changed")).all() == [
        "user.changed"]


def test_audit_sentences_in_both_languages_for_each_action(app, organization):
    """Every action has its sentence, singular and plural; parameters it cannot read fall back to the text."""
    from flask_babel import force_locale

    from userhub.admin import audit

    cases = {
        ("user.created", '{"number": null, "extension": "12"}'): ("Number —, extension 12", "Numéro —, extension 12"),
        ("invitations.all", '{"count": 1}'): ("To 1 pending user", "À 1 utilisateur en attente"),
        ("invitations.all", '{"count": 2}'): ("To 2 pending users", "À 2 utilisateurs en attente"),
        ("users.imported", '{"count": 1}'): ("1 row", "1 ligne"),
        ("numbers.added", '{"count": 1, "first": "+33184883250", "last": "+33184883250"}'):
            ("1 number: +33 1 84 88 32 50", "1 numéro\u00a0: +33 1 84 88 32 50"),
        ("settings.activation_emails", '{"mode": "manual"}'): ("Sent by an administrator",
                                                               "Envoyés par un administrateur"),
        ("voicemail.fax_messaging", '{"allowed": true}'): ("Fax messaging allowed", "Messagerie fax autorisée"),
        ("users.imported", '{"rows": 3}'): ("old text", "old text"),
    }
    import json

    for (action, params), (english, french) in cases.items():
        event = AuditEvent(organization_id=organization.id, action=action, details="old text",
                           params=json.loads(params))
        for locale, expected in (("en", english), ("fr", french)):
            with app.test_request_context(), force_locale(locale):
                assert audit.describe(event) == expected, (action, params, locale)
