"""CSV export of the users list; CSV import checked as a whole first, then run as a job with progress."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from userhub.accounts.models import User
from userhub.admin.models import AdminJob
from userhub.extensions import db

HEADER = "first_name,last_name,email,package,location,number,extension\n"


def _upload(client, text: str):  # type: ignore[no-untyped-def]
    return client.post("/admin/users/import", data={"file": (io.BytesIO(text.encode()), "users.csv")},
                       content_type="multipart/form-data")


def _users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _parse_export(body: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_export_lists_every_user_with_the_filters(admin_client, make_user, paris):
    make_user("bob@example.com", first_name="Bob", last_name="Martin", location=paris, extension="20", active=False)
    rows = _parse_export(admin_client.get("/admin/users/export.csv?format=comma").data, ",")
    assert rows[0][:4] == ["first_name", "last_name", "email", "status"]
    assert len(rows) == 3 and ["Bob", "Martin", "bob@example.com", "invited", "", "", "Paris office", "", "20"] in rows
    filtered = admin_client.get("/admin/users/export.csv?status=invited").get_data(as_text=True)
    assert "admin@example.com" not in filtered and "bob@example.com" in filtered


def test_the_default_export_opens_in_a_french_excel(admin_client, make_user, paris):
    make_user("helene@example.com", first_name="Hélène", last_name="Noël; fils", location=paris, extension="21")
    response = admin_client.get("/admin/users/export.csv")
    body = response.data
    assert response.mimetype == "text/csv"
    assert body.startswith(b"\xef\xbb\xbffirst_name;last_name;email;status;")  # BOM, then `;`
    assert body.count(b"\r\n") == 3 and b"\n" not in body.replace(b"\r\n", b"")  # CRLF line ends only
    rows = _parse_export(body, ";")
    assert ["Hélène", "Noël; fils", "helene@example.com"] == rows[2][:3]


def test_the_plain_export_is_comma_utf8_without_bom(admin_client, make_user, paris):
    make_user("helene@example.com", first_name="Hélène", last_name="Noël", location=paris, extension="21")
    body = admin_client.get("/admin/users/export.csv?format=comma").data
    assert body.startswith(b"first_name,last_name,email,status,")
    assert ["Hélène", "Noël", "helene@example.com"] == _parse_export(body, ",")[2][:3]
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "format=comma" in page and "CSV (comma, UTF-8)" in page


def test_exported_cells_never_run_as_formulas_and_import_back(admin_client, make_user, paris):
    from userhub.organizations.models import PhoneNumber

    number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883201"))
    make_user("eve@example.com", first_name='=HYPERLINK("http://x.example")', last_name="@SUM(1)", location=paris,
              phone_number=number, extension="22")
    for fmt, delimiter in (("", ";"), ("?format=comma", ",")):
        rows = _parse_export(admin_client.get("/admin/users/export.csv" + fmt).data, delimiter)
        eve = next(r for r in rows if r[2] == "eve@example.com")
        assert eve[0] == "'=HYPERLINK(\"http://x.example\")" and eve[1] == "'@SUM(1)" and eve[7] == "'+33184883201"
    # The quote that made it inert is taken off again when such a cell is imported.
    from userhub.admin.tables import strip_formula_guard
    assert strip_formula_guard("'+33184883201") == "+33184883201" and strip_formula_guard("'a") == "'a"


def test_every_bad_line_is_reported_and_nothing_is_created(admin_client, make_user, other_org):
    make_user("taken@example.com")
    before = _users()
    text = HEADER + "\n".join([
        "Ann,Lee,ann@example.com,webex_suite,Paris office,+33184883201,3201",  # fine
        "Bad,Mail,not-an-address,webex_suite,Paris office,,40",
        "Dup,Li,taken@example.com,webex_suite,Paris office,,41",
        "No,Place,noplace@example.com,webex_suite,Mars,,42",
        "No,Pack,nopack@example.com,gold,Paris office,,43",
        "Same,Number,same@example.com,webex_suite,Paris office,01 84 88 32 01,44",
        "Other,Org,other@example.com,webex_suite,Paris office,+33472104502,45",
        "Bad,Ext,badext@example.com,webex_suite,Paris office,,4a",
        "Same,Ext,sameext@example.com,webex_suite,Paris office,,3201",
        "Neither,One,neither@example.com,webex_suite,Paris office,,",
    ]) + "\n"
    response = _upload(admin_client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for line, reason in [(3, ""), (4, "already exists"), (5, "Unknown location"), (6, "Unknown package"),
                         (7, "+33184883201 is already assigned"), (8, "must belong to the chosen location"),
                         (9, "2 to 10 digits"), (10, "Extension 3201 is already used"),
                         (11, "at least a phone number or an extension")]:
        assert f"Line {line}: " in page and reason in page, (line, reason)
    assert "Line 2:" not in page
    assert "9 lines have a problem; nothing was imported." in page
    assert _users() == before and db.session.scalar(select(AdminJob.id)) is None


def test_a_good_file_is_imported_with_progress(admin_client, mailbox):
    rows = [f"P{i},N{i},p{i}@example.com,webex_calling,paris office,,{100 + i}" for i in range(450)]
    rows[0] = "Ann,Lee,ann@example.com,Webex Suite,Paris office,01 84 88 32 07,3207"
    response = _upload(admin_client, HEADER + "\n".join(rows) + "\n")
    assert response.status_code == 302
    # The import itself, not one of the invitation jobs it queued (PostgreSQL returns rows in any order).
    job = db.session.scalar(select(AdminJob).where(AdminJob.parent_id.is_(None)))
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "450 of 450 done" in page and "Finished." in page and 'http-equiv="refresh"' not in page
    assert (job.total, job.done, job.status) == (450, 450, "done")
    ann = db.session.scalar(select(User).where(User.email == "ann@example.com"))
    assert (ann.phone_number.e164, ann.extension, ann.package.code) == ("+33184883207", "3207", "webex_suite")
    assert _users() == 451


def test_progress_page_refreshes_while_the_job_runs(admin_client, organization):
    from userhub.admin.jobs import create_job
    from userhub.admin.models import JobKind

    job = create_job(organization.id, JobKind.IMPORT, [], None)
    db.session.commit()
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "0 of 0 done" in page


def test_a_file_that_is_not_csv_text_is_refused(admin_client):
    response = admin_client.post("/admin/users/import", data={"file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 400


def test_rows_taken_between_the_check_and_the_import_are_reported_not_created(app, admin, organization, make_user,
                                                                              paris):
    from flask_login import login_user

    from userhub.admin import imports, jobs
    from userhub.organizations.models import PhoneNumber

    text = HEADER + ("Ann,Lee,ann@example.com,webex_suite,Paris office,+33184883201,3201\n"
                     "Bob,Ray,bob@example.com,webex_suite,Paris office,,3202\n"
                     "Cy,Fox,cy@example.com,webex_suite,Paris office,,3203\n")
    with app.test_request_context():
        login_user(admin)
        checked = imports.check_file(organization, text.encode())
        assert checked.problems == []
        job = imports.start_import(organization, checked)
        db.session.commit()
    # Meanwhile another administrator takes Ann's number and Bob's address.
    number = db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883201"))
    make_user("bob@example.com", location=paris, phone_number=number, extension="99")
    jobs.run_job(job.id)
    db.session.refresh(job)
    assert jobs.failures(job) == [[2, "+33184883201 is already assigned."],
                                  [3, "A user with the address bob@example.com already exists."]]
    assert db.session.scalar(select(User.extension).where(User.email == "cy@example.com")) == "3203"
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "ann@example.com")) == 0


def test_imported_users_get_their_activation_email_when_emails_are_automatic(admin_client, mailbox):
    text = HEADER + ("Ann,Lee,ann@example.com,webex_suite,Paris office,,3201\n"
                     "Bob,Ray,bob@example.com,webex_suite,Paris office,,3202\n")
    assert _upload(admin_client, text).status_code == 302
    assert sorted(m["To"] for m in mailbox.deliver()) == ["ann@example.com", "bob@example.com"]
    invitations = db.session.scalar(select(AdminJob).where(AdminJob.kind == "invitations"))
    assert (invitations.total, invitations.status) == (2, "done")


# --- Files as French administrators make them: `;`, Windows-1252, BOM, .xlsx -------------------------------------

def _post_bytes(client, data: bytes, filename: str = "users.csv"):  # type: ignore[no-untyped-def]
    return client.post("/admin/users/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _names() -> list[tuple[str, str]]:
    return sorted(tuple(row) for row in db.session.execute(
        select(User.first_name, User.last_name).where(User.email != "admin@example.com")))


def _semicolon_text() -> str:
    return ("first_name;last_name;email;package;location;number;extension\r\n"
            "Hélène;Noël;helene@example.com;webex_suite;Paris office;01 84 88 32 01;3201\r\n"
            "Zoë;Garçon;zoe@example.com;webex_suite;Paris office;;3202\r\n")


def test_a_semicolon_windows_1252_file_is_imported(admin_client):
    data = _semicolon_text().encode("cp1252")
    assert b"H\xe9l\xe8ne" in data  # real Windows-1252 bytes, not UTF-8
    response = _post_bytes(admin_client, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _names() == [("Hélène", "Noël"), ("Zoë", "Garçon")]
    helene = db.session.scalar(select(User).where(User.email == "helene@example.com"))
    assert (helene.phone_number.e164, helene.extension) == ("+33184883201", "3201")


def test_a_utf8_file_with_bom_and_semicolons_is_imported(admin_client):
    response = _post_bytes(admin_client, "\ufeff".encode() + _semicolon_text().encode())
    assert response.status_code == 302
    assert _names() == [("Hélène", "Noël"), ("Zoë", "Garçon")]


def test_a_comma_utf8_file_without_bom_is_imported(admin_client):
    text = _semicolon_text().replace(";", ",")
    assert _post_bytes(admin_client, text.encode()).status_code == 302
    assert _names() == [("Hélène", "Noël"), ("Zoë", "Garçon")]


def test_a_one_column_file_is_read_and_says_what_is_missing(admin_client):
    response = _post_bytes(admin_client, b"email\r\nann@example.com\r\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Line 1: Missing columns: location." in page


def test_a_byte_that_neither_utf8_nor_windows_1252_can_read_is_reported_with_its_line(admin_client):
    data = _semicolon_text().encode("cp1252") + b"Bad;Byte;bad@example.com;webex_suite;Paris office;;32\x8103\r\n"
    response = _post_bytes(admin_client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 4: Byte 0x81 cannot be read as UTF-8 or Windows-1252 text" in page
    assert _names() == []
    admin_client.post("/language", data={"locale": "fr"})  # the reader's language
    page = _post_bytes(admin_client, data).get_data(as_text=True)
    assert "Ligne 4" in page and "0x81" in page and "Windows-1252" in page


def test_an_xlsx_workbook_is_imported_values_only(admin_client):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First_Name", "last_name", "email", "package", "location", "number", "extension"])
    sheet.append(["Hélène", "Noël", "helene@example.com", "webex_suite", "Paris office", "+33184883201", 3201])
    # A formula is never run: its value cached by Excel is read (here there is none, so the cell is empty).
    sheet.append(["Zoë", '=CONCAT("Gar","çon")', "zoe@example.com", "webex_suite", "Paris office", None, 3202.0])
    out = io.BytesIO()
    workbook.save(out)
    response = _post_bytes(admin_client, out.getvalue(), "people.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _names() == [("Hélène", "Noël"), ("Zoë", "")]
    assert db.session.scalar(select(User.extension).where(User.email == "zoe@example.com")) == "3202"


def test_a_workbook_too_wide_or_not_a_workbook_is_refused_clearly(admin_client):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append([f"c{i}" for i in range(60)])
    out = io.BytesIO()
    workbook.save(out)
    page = _post_bytes(admin_client, out.getvalue(), "wide.xlsx").get_data(as_text=True)
    assert "At most 50 columns." in page
    response = _post_bytes(admin_client, b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert response.status_code == 400 and "The file is not a valid .xlsx workbook." in response.get_data(as_text=True)
    assert _names() == []


def test_a_workbook_with_too_many_rows_is_refused(admin_client, monkeypatch):
    from openpyxl import Workbook

    from userhub.admin import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    workbook = Workbook()
    workbook.active.append(["first_name", "last_name", "email", "package", "location", "number", "extension"])
    for i in range(5):
        workbook.active.append(["P", "N", f"p{i}@example.com", "webex_suite", "Paris office", None, f"{40 + i}"])
    out = io.BytesIO()
    workbook.save(out)
    page = _post_bytes(admin_client, out.getvalue(), "long.xlsx").get_data(as_text=True)
    assert "Line 5: At most 3 rows per file." in page and _names() == []


# --- The progress page says what is happening and roughly how long is left ---------------------------------------

def _import_job(organization, total: int, done: int, seconds_ago: int, failures: list | None = None):  # type: ignore[no-untyped-def,type-arg]
    import json
    from datetime import timedelta

    from userhub.admin.jobs import create_job
    from userhub.admin.models import JobKind
    from userhub.timeutil import utcnow

    job = create_job(organization.id, JobKind.IMPORT, [{}] * total, None)
    job.done, job.status = done, "running" if done else "pending"
    job.created_at = utcnow() - timedelta(seconds=seconds_ago)
    job.failures = json.dumps(failures or [])
    db.session.commit()
    return job


def test_progress_before_any_chunk_says_it_is_estimating(admin_client, organization):
    job = _import_job(organization, 600, 0, 5)
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "600 rows checked, without problems." in page and "0 users imported." in page
    assert "Estimating the time left…" in page and 'http-equiv="refresh"' in page
    assert f'href="/admin/jobs/{job.id}">Refresh</a>' in page  # without meta refresh, a link does it
    # Without JavaScript the page reloads itself; with it, the script updates it in place instead.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page and "js/job-progress.js" in page


def test_progress_halfway_estimates_the_time_left_from_the_rate_so_far(admin_client, organization):
    job = _import_job(organization, 600, 200, 60, failures=[[7, "Extension 42 is already used."]])
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    # 200 rows in 60 s: the 400 left take about 2 minutes.
    assert "199 users imported. 1 line not imported." in page and "About 2 minutes left." in page
    assert "Line 7: Extension 42 is already used." in page
    admin_client.post("/language", data={"locale": "fr"})
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "600 lignes vérifiées, sans problème." in page and "199 utilisateurs importés." in page
    assert "Il reste environ 2 minutes." in page and "1 ligne non importée." in page


def test_progress_counts_the_activation_emails_the_import_queued(admin_client, organization):
    from userhub.admin.jobs import create_job
    from userhub.admin.models import JobKind

    job = _import_job(organization, 3, 3, 30)
    job.status = "done"
    invitations = create_job(organization.id, JobKind.INVITATIONS, [1, 2, 3], None, parent=job)
    invitations.done = 1
    db.session.commit()
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    # The import is done, but the emails are not: the page keeps refreshing and says so.
    assert "3 users imported." in page and "3 activation emails queued, 1 sent." in page
    assert "Finished." not in page and 'http-equiv="refresh"' in page and "left." in page
    admin_client.post("/language", data={"locale": "fr"})  # each count has its own plural: « 1 envoyé »
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "3 courriels d’activation en file d’attente, 1 envoyé." in page
    invitations.done = 0
    db.session.commit()
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "3 courriels d’activation en file d’attente, 0 envoyé." in page
    admin_client.post("/language", data={"locale": "en"})
    invitations.done, invitations.status = 3, "done"
    db.session.commit()
    page = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "3 activation emails queued, 3 sent." in page and "Finished." in page
    assert 'http-equiv="refresh"' not in page and "left." not in page
    assert "js/job-progress.js" not in page and "data-running" not in page


def test_a_real_import_links_its_activation_emails_to_its_progress(admin_client, mailbox):
    text = HEADER + ("Ann,Lee,ann@example.com,webex_suite,Paris office,,3201\n"
                     "Bob,Ray,bob@example.com,webex_suite,Paris office,,3202\n")
    response = _upload(admin_client, text)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 rows checked, without problems." in page and "2 users imported." in page
    assert "2 activation emails queued, 2 sent." in page and "Finished." in page


def test_a_file_over_the_upload_limit_is_refused_with_a_message(admin_client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = _post_bytes(admin_client, b"x" * (limit + 1), "big.xlsx")
    assert response.status_code == 413 and "What you sent is too large." in response.get_data(as_text=True)
    assert _names() == []


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(admin_client, monkeypatch):
    import zipfile

    from userhub.admin import tables

    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 1000)  # 6 kB of repeats packs to a few bytes
    response = _post_bytes(admin_client, out.getvalue(), "bomb.xlsx")
    assert response.status_code == 400 and "The workbook is too large once unpacked." in response.get_data(as_text=True)
