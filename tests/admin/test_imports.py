"""CSV export of the users list; CSV import checked as a whole first, then run as a job with progress."""

from __future__ import annotations

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


def test_export_lists_every_user_with_the_filters(admin_client, make_user, paris):
    make_user("bob@example.com", first_name="Bob", last_name="Martin", location=paris, extension="20", active=False)
    text = admin_client.get("/admin/users/export.csv").get_data(as_text=True)
    lines = text.strip().splitlines()
    assert lines[0].startswith("first_name,last_name,email,status")
    assert len(lines) == 3 and "Bob,Martin,bob@example.com,invited,,,Paris office,,20" in lines
    filtered = admin_client.get("/admin/users/export.csv?status=invited").get_data(as_text=True)
    assert "admin@example.com" not in filtered and "bob@example.com" in filtered


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
    job = db.session.scalar(select(AdminJob))
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
