"""The users list: columns, count, search, filters, sort, pages, constant number of SQL statements;
and a user's page where package, location, number and extension change with the wizard's rules."""

from __future__ import annotations

import base64
import html
import json

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


def _walk(organization, query, page_size):  # type: ignore[no-untyped-def]
    """Every page from the first by "Next", then back by "Previous"; the emails of each page."""
    from dataclasses import replace

    forward, page = [], user_service.list_users(organization, query, page_size=page_size)
    assert not page.has_previous
    forward.append([row.email for row in page.rows])
    while page.has_next:
        page = user_service.list_users(organization, replace(query, after=page.rows[-1].key), page_size=page_size)
        forward.append([row.email for row in page.rows])
    backward = [forward[-1]]
    while page.has_previous:
        page = user_service.list_users(organization, replace(query, after="", before=page.rows[0].key),
                                       page_size=page_size)
        backward.append([row.email for row in page.rows])
    return forward, backward[::-1]


def test_pages(organization, make_user):
    for i in range(7):
        make_user(f"p{i}@example.com", first_name="P", last_name=f"N{i}", active=False)
    first = user_service.list_users(organization, user_service.UserQuery(), page_size=3)
    last = user_service.list_users(organization, user_service.UserQuery(last=True), page_size=3)
    assert (first.total, len(first.rows), first.has_previous, first.has_next) == (7, 3, False, True)
    # The last page is the last numbered page (keyset: read backwards from the end), here its one row.
    assert [row.email for row in last.rows] == ["p6@example.com"] and last.number == 3
    assert (last.has_previous, last.has_next) == (True, False)


def test_keyset_pages_in_each_sort_with_ties_and_filters(organization, make_user, paris):
    lyon = create_location(organization, "Lyon", "FR", "Europe/Paris")
    db.session.commit()
    # Ties everywhere: same first and last names, both statuses, two locations.
    for i in range(11):
        make_user(f"t{i:02d}@example.com", first_name="Sam", last_name="Same" if i % 3 else "Aa",
                  active=bool(i % 2), location=lyon if i % 4 == 0 else paris)
    everyone = db.session.scalars(select(user_service.User).order_by(user_service.User.id)).all()
    expected_order = {
        "name": lambda u: (u.last_name, u.first_name, u.id),
        "email": lambda u: (u.email, u.id),
        "status": lambda u: (u.status, u.last_name, u.first_name, u.id),
    }
    for sort, key in expected_order.items():
        for filters, keep in (({}, lambda u: True), ({"status": "invited"}, lambda u: u.status == "invited"),
                              ({"location_id": lyon.id}, lambda u: u.location_id == lyon.id),
                              ({"search": "t0"}, lambda u: u.email.startswith("t0"))):
            wanted = [u.email for u in sorted(filter(keep, everyone), key=key)]
            forward, backward = _walk(organization, user_service.UserQuery(sort=sort, **filters), 2)
            assert [e for page in forward for e in page] == wanted, (sort, filters)
            assert backward == forward, (sort, filters)
            assert all(len(page) == 2 for page in forward[:-1])


def test_a_cursor_edited_by_hand_shows_the_first_page(admin_client, organization, make_user):
    for i in range(3):
        make_user(f"c{i}@example.com")
    first = user_service.list_users(organization, user_service.UserQuery(), page_size=2)
    for cursor in ("", "%%%", "bm90IGpzb24", "WzEsMiwzXQ", "WyJhIiwiYiIsImMiXQ", "x" * 5000):
        page = user_service.list_users(organization, user_service.UserQuery(after=cursor), page_size=2)
        assert [r.email for r in page.rows] == [r.email for r in first.rows], cursor
        assert admin_client.get(f"/admin/users?after={cursor}&before={cursor}&sort=status").status_code == 200
    # A key of another sort is refused too (name keys have three parts, email keys two).
    name_key = first.rows[0].key
    page = user_service.list_users(organization, user_service.UserQuery(sort="email", after=name_key), page_size=2)
    assert [r.email for r in page.rows] == ["admin@example.com", "c0@example.com"]


def test_more_than_the_cap_is_not_counted(admin_client, organization, paris, monkeypatch):
    from sqlalchemy import insert

    db.session.execute(insert(user_service.User), [
        {"organization_id": organization.id, "email": f"many{i:03d}@example.com", "first_name": "Many",
         "last_name": f"N{i:03d}", "location_id": paris.id} for i in range(12)])
    db.session.commit()
    monkeypatch.setattr(user_service, "COUNT_CAP", 10)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "More than 10 users" in page
    page = admin_client.get("/admin/users?q=many00").get_data(as_text=True)
    assert "10 users<" in page
    # Past the cap the search reads the sort's index in order: the same rows, in the same order.
    names = [r.email for r in user_service.list_users(organization, user_service.UserQuery(search="many"),
                                                      page_size=5).rows]
    assert names == [f"many{i:03d}@example.com" for i in range(5)]


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
    first = admin_client.get(f"/admin/users?location={paris.id}&sort=email").get_data(as_text=True)
    assert "bulk000@example.com" in first and "bulk049@example.com" in first and "bulk050@example.com" not in first
    assert 'rel="prev"' not in first and 'rel="first"' not in first
    following = html.unescape(first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0])
    assert f"location={paris.id}" in following and "sort=email" in following
    second = admin_client.get(following).get_data(as_text=True)
    assert "bulk050@example.com" in second and "bulk099@example.com" in second
    assert "bulk049@example.com" not in second and "bulk100@example.com" not in second
    last = html.unescape(second.split('rel="last"')[0].rsplit('href="', 1)[1].split('"')[0])
    assert f"location={paris.id}" in last and "last=1" in last
    final = admin_client.get(last).get_data(as_text=True)
    assert "bulk100@example.com" in final and "bulk119@example.com" in final and "bulk099@example.com" not in final
    assert 'rel="next"' not in final
    back = html.unescape(final.split('rel="prev"')[0].rsplit('href="', 1)[1].split('"')[0])
    previous = admin_client.get(back).get_data(as_text=True)
    assert "bulk050@example.com" in previous and "bulk099@example.com" in previous
    assert "bulk049@example.com" not in previous and "bulk100@example.com" not in previous


def test_a_cursor_holding_what_no_row_can_hold_shows_the_first_page(admin_client, organization):
    """An edited link: an id past PostgreSQL's integer, or a NUL in a name, is no key: the first page, never a 500."""
    keys = {"name": [["Doe", "Jane", 2**63], ["x\u0000", "Jane", 1]],
            "email": [["a@example.com", 2**63], ["x\u0000", 1]],
            "status": [["active", "Doe", "Jane", 2**63], ["x\u0000", "Doe", "Jane", 1]]}
    for sort, wrong in keys.items():
        for key in wrong:
            raw = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
            for arg in ("after", "before"):
                response = admin_client.get(f"/admin/users?sort={sort}&{arg}={raw}")
                assert response.status_code == 200, (sort, arg, key)


def _bulk(organization, paris, count: int) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from userhub.accounts.models import User

    db.session.execute(insert(User), [{"organization_id": organization.id, "email": f"bulk{i:03d}@example.com",
                                       "first_name": "Bulk", "last_name": f"N{i:03d}", "location_id": paris.id}
                                      for i in range(count)])
    db.session.commit()


def _href(page: str, rel: str) -> str:
    return html.unescape(page.split(f'rel="{rel}"')[0].rsplit('href="', 1)[1].split('"')[0])


def test_the_page_size_is_chosen_kept_in_the_links_and_a_bad_one_falls_back(admin_client, organization, paris):
    _bulk(organization, paris, 120)
    for size, shown in (("25", 25), ("100", 100), ("50", 50), ("10000", 50), ("abc", 50), ("-1", 50), ("", 50)):
        page = admin_client.get(f"/admin/users?sort=email&size={size}").get_data(as_text=True)
        assert page.count('<tr role="row">') - 1 == shown, size  # the header's row, then one per user
        assert f'<option value="{shown}" selected>' in page, size
    first = admin_client.get(f"/admin/users?sort=email&size=25&location={paris.id}").get_data(as_text=True)
    following = _href(first, "next")
    assert "size=25" in following and "sort=email" in following and f"location={paris.id}" in following
    second = admin_client.get(following).get_data(as_text=True)
    # The administrator is in no location: the Paris users alone, 25 a page.
    assert "bulk025@example.com" in second and "bulk049@example.com" in second
    assert "bulk024@example.com" not in second and "bulk050@example.com" not in second
    for rel in ("prev", "first", "last", "next"):
        assert "size=25" in _href(second, rel), rel
    # The default size is not repeated in the links.
    assert "size=" not in _href(admin_client.get("/admin/users?size=50").get_data(as_text=True), "next")


def test_page_numbers_where_the_count_is_exact(admin_client, organization, paris):
    _bulk(organization, paris, 120)  # and the administrator: 121 users, 5 pages of 25
    page = admin_client.get("/admin/users?sort=email&size=25").get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1<' in page
    assert 'Page </span>5<' in page and 'Page </span>6<' not in page
    third = admin_client.get(_href(page.replace('Page </span>3<', 'rel="third"'), "third")).get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3<' in third
    # admin@ sorts first, then bulk000…: page 3 holds rows 50 to 74.
    assert "bulk049@example.com" in third and "bulk073@example.com" in third
    assert "bulk048@example.com" not in third and "bulk074@example.com" not in third
    # "Next" from page 3 is page 4, with its number; the last page is numbered too.
    fourth = admin_client.get(_href(third, "next")).get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>4<' in fourth
    last = admin_client.get(_href(fourth, "last")).get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>5<' in last
    # "Last" is page 5's own rows (the remainder: 100 to 120), and "previous" from it is page 4, numbered
    fifth = admin_client.get("/admin/users?sort=email&size=25&page=5").get_data(as_text=True)
    assert _emails(last) == _emails(fifth) == [f"bulk{n:03}@example.com" for n in range(99, 120)]
    before_last = admin_client.get(_href(last, "prev")).get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>4<' in before_last
    assert _emails(before_last) == _emails(fourth)
    # A number past the end shows the last numbered page; a bad one the first.
    assert "bulk119@example.com" in admin_client.get("/admin/users?sort=email&size=25&page=99").get_data(as_text=True)
    for bad in ("0", "-2", "x", "9" * 30):
        assert "admin@example.com" in admin_client.get(f"/admin/users?sort=email&page={bad}").get_data(as_text=True)


def test_no_page_numbers_past_the_cap(admin_client, organization, paris, monkeypatch):
    _bulk(organization, paris, 30)
    monkeypatch.setattr(user_service, "COUNT_CAP", 10)
    page = admin_client.get("/admin/users?size=25").get_data(as_text=True)
    assert "More than 10 users" in page and "Page </span>" not in page and 'rel="last"' in page
    # page= is an offset page only where the count is exact: here it shows the first page.
    assert "admin@example.com" in admin_client.get("/admin/users?size=25&page=2").get_data(as_text=True)
    french = admin_client.get("/admin/users?size=25", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Plus de 10\u00a0utilisateurs" in french or "Plus de 10 utilisateurs" in french


def test_page_numbers_skip_the_far_ones():
    assert user_service.page_numbers(1, 1) == [1]
    assert user_service.page_numbers(1, 5) == [1, 2, 3, None, 5]
    assert user_service.page_numbers(20, 40) == [1, None, 18, 19, 20, 21, 22, None, 40]
    assert user_service.page_numbers(40, 40) == [1, None, 38, 39, 40]


def test_the_status_is_a_badge_with_the_filter_s_words(admin_client, make_user):
    make_user("toto@example.com", active=False)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert '<span class="status-badge status-invited">Verified</span>' in page
    assert '<span class="status-badge status-active">Active</span>' in page
    assert '<option value="invited" >Verified</option>' in page and '<option value="active" >Active</option>' in page


def test_each_filter_label_comes_just_before_its_own_control(admin_client):
    import re

    page = admin_client.get("/admin/users").get_data(as_text=True)
    start = page.index('class="user-filters"')
    bar = page[start:page.index("</form>", start)]
    tags = re.findall(r'<(label for|input type="search" id|select id)="([a-z]+)"', bar)
    pairs = list(zip(tags[::2], tags[1::2], strict=True))
    assert [(label[1], control[1]) for label, control in pairs] == [
        ("q", "q"), ("location", "location"), ("status", "status"), ("sort", "sort"), ("size", "size")]
    assert all(label[0] == "label for" and control[0] != "label for" for label, control in pairs)


def test_numbered_and_following_pages_cost_the_statements_of_the_first(app, admin_client, organization, paris):
    """Counting the rows before the page rides on the capped count: no statement more for a page's number."""
    _bulk(organization, paris, 60)
    first = admin_client.get("/admin/users?size=25").get_data(as_text=True)
    following = _href(first, "next")
    costs = [_statements(app, lambda url=url: admin_client.get(url).get_data())
             for url in ("/admin/users?size=25", following, "/admin/users?size=25&page=2", "/admin/users?size=25&last=1",
                         _href(admin_client.get(following).get_data(as_text=True), "prev"))]
    assert len(set(costs)) == 1, costs
    second = admin_client.get(following).get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in second


def _emails(page: str) -> list[str]:
    import re

    return list(dict.fromkeys(re.findall(r"bulk\d{3}@example\.com", page)))  # each row names it twice
