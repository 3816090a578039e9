"""Every page names the portal's icon, and the icon is served (browsers show it in tabs and bookmarks)."""

import re


def test_pages_name_an_icon_that_is_served(client):  # type: ignore[no-untyped-def]
    page = client.get("/sign-in").get_data(as_text=True)
    [href] = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    icon = client.get(href)
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data
