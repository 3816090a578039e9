"""The users list: columns, count, search, filters, sort, pages, constant number of SQL statements;
and a user's page where package, location, number and extension change with the wizard's rules."""

from __future__ import annotations

from sqlalchemy import event, select

from userhub.admin import users as user_service
from userhub.extensions import db
from userhub.organizations.models import PhoneNumber
from userhub.organizations.services import create_location


def _number(e164: str) -> PhoneNumber:
    return db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == e164))


def test_columns_and_count(admin_client, make_user):
    make_user("toto@example.com", first_name="Toto", last_name="Titi", active=False)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "2 users" in page
    assert "Toto Titi" in page and "toto@example.com" in page and "Verified" in page
    assert "Active" in page and "Full administrator" in page


def test_count_is_singular_for_one_user(admin_client):
    assert "1 user<" in admin_client.get("/admin/users").get_data(as_text=True)


def test_search_by_name_or_email_and_filters(admin_client, make_user, organization, paris):
    lyon = create_location(organization, "Lyon", "FR", "Europe/Paris")
    db.session.commit()
    make_user("bob@example.com", first_name="Bob", last_name="Martin", active=False, location=lyon, extension="20")
    make_user("carla@example.com", first_name="Carla", last_name="Bruni", location=paris, extension="21")
    def names(url: str) -> list[str]:
        page = user_service.list_users(organization, user_service.UserQuery(**url))
        return [row.email for row in page.rows]
    assert names({"search": "mart"}) == ["bob@example.com"]
    assert names({"search": "CARLA@"}) == ["carla@example.com"]
    assert names({"location_id": lyon.id}) == ["bob@example.com"]
    assert names({"status": "invited"}) == ["bob@example.com"]
    assert names({"sort": "email"}) == ["admin@example.com", "bob@example.com", "carla@example.com"]
    assert names({"sort": "name"}) == ["admin@example.com", "carla@example.com", "bob@example.com"]
    page = admin_client.get(f"/admin/users?q=bob&location={lyon.id}&status=invited").get_data(as_text=True)
    assert "bob@example.com" in page and "carla@example.com" not in page and "1 user<" in page


def test_a_search_for_percent_matches_literally(organization, make_user):
    make_user("bob@example.com")
    page = user_service.list_users(organization, user_service.UserQuery(search="%"))
    assert page.total == 0


def test_pages(organization, make_user):
    for i in range(7):
        make_user(f"p{i}@example.com", first_name="P", last_name=f"N{i}", active=False)
    first = user_service.list_users(organization, user_service.UserQuery(page=1), page_size=3)
    last = user_service.list_users(organization, user_service.UserQuery(page=3), page_size=3)
    assert (first.total, first.pages, len(first.rows), len(last.rows)) == (7, 3, 3, 1)


def _statements(app, action) -> int:  # type: ignore[no-untyped-def]
    count = 0

    def counter(*_args):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def test_statement_count_does_not_grow_with_users(app, admin_client, make_user, paris):
    small = _statements(app, lambda: admin_client.get("/admin/users").get_data())
    for i in range(8):
        make_user(f"u{i}@example.com", location=paris, phone_number=_number(f"+3318488320{i}"), extension=f"1{i}")
    large = _statements(app, lambda: admin_client.get("/admin/users").get_data())
    assert large == small


def test_user_page_shows_the_details(admin_client, make_user, paris, packages):
    user = make_user("bob@example.com", first_name="Bob", last_name="Martin", location=paris,
                     phone_number=_number("+33184883205"), extension="3205", package=packages["webex_suite"])
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    for text in ("Bob Martin", "bob@example.com", "Webex Suite", "Paris office", "01 84 88 32 05", "3205", "Active"):
        assert text in page, text


def test_change_number_extension_and_package(admin_client, make_user, paris, packages):
    user = make_user("bob@example.com", location=paris, phone_number=_number("+33184883205"), extension="3205")
    response = admin_client.post(f"/admin/users/{user.id}", data={
        "package": packages["webex_calling"].id, "location": paris.id, "number": "+33184883206", "extension": "3206"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (user.phone_number.e164, user.extension, user.package.code) == ("+33184883206", "3206", "webex_calling")
    assert _number("+33184883205").user_id is None  # back in the pool


def test_change_refused_when_the_extension_is_taken(admin_client, make_user, paris):
    make_user("first@example.com", location=paris, extension="55")
    user = make_user("bob@example.com", location=paris, extension="3205")
    response = admin_client.post(f"/admin/users/{user.id}", data={"package": "", "location": paris.id,
                                                                  "number": "", "extension": "55"})
    page = response.get_data(as_text=True)
    assert "Extension 55 is already used." in page and 'value="55"' in page
    db.session.expire_all()
    assert user.extension == "3205"


def test_change_refused_without_number_nor_extension_and_bad_extension(admin_client, make_user, paris):
    user = make_user("bob@example.com", location=paris, extension="3205")
    for extension, message in (("", "Give at least a phone number or an extension."),
                               ("1", "An extension has 2 to 10 digits."), ("12a", "An extension has 2 to 10 digits.")):
        page = admin_client.post(f"/admin/users/{user.id}", data={"package": "", "location": paris.id, "number": "",
                                                                  "extension": extension}).get_data(as_text=True)
        assert message in page
    db.session.expire_all()
    assert user.extension == "3205"


def test_the_page_links_keep_the_filters(admin_client, organization, paris):
    from sqlalchemy import insert

    from userhub.accounts.models import User

    db.session.execute(insert(User), [{"organization_id": organization.id, "email": f"bulk{i:03d}@example.com",
                                       "first_name": "Bulk", "last_name": f"N{i:03d}", "location_id": paris.id}
                                      for i in range(120)])
    db.session.commit()
    page = admin_client.get(f"/admin/users?location={paris.id}&page=2").get_data(as_text=True)
    assert "Page 2 of 3" in page and "bulk050@example.com" in page and "bulk099@example.com" in page
    assert "bulk049@example.com" not in page and "bulk100@example.com" not in page
    assert "page=3" in page and f"location={paris.id}" in page.split('rel="next"')[0].rsplit("<a", 1)[1]
