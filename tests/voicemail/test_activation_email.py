"""The activation email tells a new employee where to set the voicemail access code."""

from __future__ import annotations

from userhub.accounts import services
from userhub.extensions import db


def test_the_activation_email_links_to_the_access_code_page(make_user, mailbox):
    invited = make_user("new.hire@example.com", active=False, password=None)
    services.send_invitation(invited)
    db.session.commit()
    [message] = mailbox.deliver()
    link = "https://hub.example.com/settings/calling/voicemail/access-code"
    assert link in mailbox.text(message) and link in mailbox.html(message)
