"""Issue #15's "done": two softphones registered against the shipped Kamailio, forwarding set in the French
User Hub, and the next call goes where "Où va mon appel ?" says. Chloé forwards all her calls to her
colleague Bruno's extension on "Renvoi d'appel"; the panel says where a call from outside goes; then a
call from the public network (SIPp standing for the gateway) through Kamailio rings Bruno's softphone,
not hers. Both softphones register with what each person's Téléphones page shows (SIP user name, domain)
and the SIP password saved there.

It starts its own Kamailio and SIPp processes (tests/sip/harness.py) against the suite's userhub, and
stops every one of them by its PID, also when one fails to start. Local mode only: a deployed userhub
would need a proxy of its own that reaches it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import DEPLOYED_URL
from e2e.pages.accounts import HomePage
from e2e.pages.calling import CallSettingsPage
from tests.sip.harness import REALM, Lab, tools_missing

PASSWORD = "Quai-Lanterne-Merle-47!"


def _sip_account(page: Page, base_url: str) -> tuple[str, str]:
    """On the person's Téléphones page: save the suggested SIP password; (SIP user name, password)."""
    page.goto(base_url + "/settings/calling/phones")
    expect(page.get_by_role("heading", level=1, name="Téléphones", exact=True)).to_be_visible()
    expect(page.locator("#sip-realm")).to_have_text(REALM)  # the domain the proxy authenticates in
    password = page.get_by_label("Mot de passe SIP", exact=True).input_value()
    assert len(password) >= 12
    page.get_by_role("button", name="Enregistrer le mot de passe SIP", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Le mot de passe SIP est enregistré.")
    return page.locator("#sip-user").inner_text().strip(), password


@pytest.fixture
def lab(cli, base_url: str, tmp_path: Path) -> Iterator[Lab]:  # type: ignore[no-untyped-def]
    """The shipped Kamailio (and a SIPp gateway and voicemail) asking the suite's userhub; every process
    it started is stopped afterwards, also when the start failed half way."""
    if DEPLOYED_URL:
        pytest.skip("local mode only: the proxy started here asks the userhub started here")
    if tools_missing():
        pytest.skip(f"not installed: {', '.join(tools_missing())} (apt-get install kamailio kamailio-utils-modules "
                    "kamailio-extra-modules sip-tester)")
    name = f"e2e-{secrets.token_hex(4)}"
    added = cli("sip-server", "add", name).stdout
    token = added.rsplit(":", 1)[1].strip()  # "... Its credential (shown once): <token>"
    built = Lab(tmp_path, base_url, token)
    try:
        built.start()
        yield built
    finally:
        built.stop()
        cli("sip-server", "remove", name)


@pytest.mark.parametrize("lang", ["fr"])
def test_the_next_call_goes_where_the_panel_says(page, words, base_url, activated_employee, lab, lang):  # type: ignore[no-untyped-def]
    extension = f"6{secrets.randbelow(1000):03d}"  # the seeded organization uses 32xx
    activated_employee("Bruno", "Lefèvre", PASSWORD, location="IT division", extension=extension)
    bruno_sip, bruno_password = _sip_account(page, base_url)
    HomePage(page, words).sign_out()

    activated_employee("Chloé", "Marchand", PASSWORD, location="IT division")
    chloe_sip, chloe_password = _sip_account(page, base_url)

    # two softphones, registered with digest against the shipped Kamailio
    chloe_phone, bruno_phone = lab.phone("chloe", answer_ms=300), lab.phone("bruno", answer_ms=300)
    lab.register((chloe_sip, chloe_password, chloe_phone), (bruno_sip, bruno_password, bruno_phone))

    # Renvoi d'appel: every call to Bruno's extension
    calling = CallSettingsPage(page, lang)
    calling.open_overview(base_url).open_feature("forwarding")
    page.get_by_label("Renvoyer tous les appels", exact=True).check()
    page.locator("#always_destination").fill(extension)
    calling.save()

    # Où va mon appel ? : a call from outside is forwarded to Bruno's extension
    calling.open_overview(base_url)
    panel = page.get_by_test_id("routing-panel")
    expect(panel.get_by_role("heading", name="Où va mon appel\u00a0?")).to_be_visible()
    expect(panel).to_contain_text("Un appel de l’extérieur")
    last = panel.locator("li").last
    expect(last).to_have_attribute("data-feature", "forward_always")
    expect(last).to_have_attribute("data-outcome", "forwarded")
    expect(last).to_contain_text("renvoyé vers")
    said = last.inner_text()
    assert extension in said or "Bruno" in said, said

    # the next call from the public network, through Kamailio: Bruno's softphone takes it
    call = lab.call(chloe_sip, caller="+33612345678")
    assert call.code == 200
    [(_at, invite)] = bruno_phone.invites()
    assert invite.startswith(f"INVITE sip:{bruno_sip}@")
    assert "reason=unconditional" in invite  # a Diversion header says why it was forwarded
    assert chloe_phone.invites() == []  # her own softphone did not ring
    assert lab.gateway.invites() == [] and lab.voicemail.invites() == []
