"""The "Ajouter des utilisateurs" wizard: step rules, the all-or-nothing batch, invitations at creation."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from userhub.accounts.models import User
from userhub.admin.wizard import proposed_extensions
from userhub.extensions import db
from userhub.organizations.models import ActivationEmails, PhoneNumber


def rows_form(action: str, rows: list[dict], mode: str = "names") -> dict[str, str]:  # type: ignore[type-arg]
    data = {"action": action, "mode": mode}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{key}-{i}"] = str(value)
        data.setdefault(f"email-{i}", "")
    return data


def _count_users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_step_one_in_french_uses_the_guide_wording(admin_client):
    admin_client.post("/language", data={"locale": "fr"})
    page = html.unescape(admin_client.get("/admin/users/add").get_data(as_text=True))
    for words in ("Informations de base", "Attribuer des numéros", "Terminer", "Noms et adresses électroniques",
                  "Adresse électronique", "Prénom", "Nom", "Sélectionner le pack", "Suivant",
                  "C’est cette information qui sera considérée pour la facturation bimestrielle de vos Packs"):
        assert words in page, words


def test_plus_adds_a_row_without_javascript(admin_client, packages):
    data = rows_form("add_row", [{"first_name": "Ann", "email": "ann@example.com", "package": packages["webex_suite"].id}])
    page = admin_client.post("/admin/users/add", data=data).get_data(as_text=True)
    assert 'value="ann@example.com"' in page and 'id="email-1"' in page


def test_step_one_shows_bad_and_duplicate_addresses_on_their_row(admin_client, make_user, packages):
    make_user("taken@example.com")
    p = packages["webex_calling"].id
    data = rows_form("next", [{"email": "not-an-address", "package": p}, {"email": "same@example.com", "package": p},
                              {"email": "Same@example.com", "package": p}, {"email": "taken@example.com", "package": p},
                              {"email": "fine@example.com", "package": ""}])
    response = admin_client.post("/admin/users/add", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-0-error"' in page and 'aria-describedby="email-0-error"' in page
    assert 'id="email-2-error">This address appears twice in the list.' in page
    assert 'id="email-3-error">A user with the address taken@example.com already exists.' in page
    assert 'id="package-4-error">Choose a package.' in page
    assert 'id="email-1-error"' not in page


def test_step_two_lists_free_numbers_and_none(admin_client, packages, make_user, paris):
    make_user("holder@example.com", location=paris,
              phone_number=db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883200")))
    data = rows_form("next", [{"email": "new@example.com", "package": packages["webex_calling"].id}])
    admin_client.post("/language", data={"locale": "fr"})
    page = html.unescape(admin_client.post("/admin/users/add", data=data).get_data(as_text=True))
    assert "Étape 2\u00a0: Configuration du service d’appel - Attribuer des numéros" in page
    assert "Fournir au moins un numéro de téléphone ou un numéro de poste" in page
    assert ">Aucun<" in page and "Attribution des numéros" in page and "Numéro interne" in page
    assert 'value="+33184883201"' in page and 'value="+33184883200"' not in page


def test_finish_creates_the_batch_and_says_how_many(admin_client, packages, paris, mailbox):
    data = rows_form("finish", [
        {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com", "package": packages["webex_suite"].id,
         "location": paris.id, "number": "+33184883204", "extension": "3204"},
        {"email": "bob@example.com", "package": packages["webex_calling"].id, "location": paris.id, "extension": "77"},
    ])
    response = admin_client.post("/admin/users/add", data=data, follow_redirects=True)
    assert "2 users added" in response.get_data(as_text=True)
    ann = db.session.scalar(select(User).where(User.email == "ann@example.com"))
    assert (ann.first_name, ann.phone_number.e164, ann.extension, ann.status) == ("Ann", "+33184883204", "3204", "invited")
    # Automatic activation emails (the default): one invitation each.
    assert sorted(m["To"] for m in mailbox.deliver()) == ["ann@example.com", "bob@example.com"]


def test_email_only_mode_ignores_names(admin_client, packages, paris):
    data = rows_form("finish", [{"first_name": "X", "email": "solo@example.com", "package": packages["webex_suite"].id,
                                 "location": paris.id, "extension": "88"}], mode="email")
    assert admin_client.post("/admin/users/add", data=data).status_code == 302
    assert db.session.scalar(select(User.first_name).where(User.email == "solo@example.com")) == ""


def test_manual_activation_emails_send_nothing_at_creation(admin_client, organization, packages, paris, mailbox):
    organization.activation_emails = ActivationEmails.MANUAL.value
    db.session.commit()
    data = rows_form("finish", [{"email": "quiet@example.com", "package": packages["webex_suite"].id,
                                 "location": paris.id, "extension": "88"}])
    assert admin_client.post("/admin/users/add", data=data).status_code == 302
    assert mailbox.deliver() == []


def test_batch_is_all_or_nothing(admin_client, packages, paris, make_user):
    make_user("holder@example.com", location=paris, extension="3209")
    before = _count_users()
    p = packages["webex_suite"].id
    data = rows_form("finish", [
        {"email": "ok@example.com", "package": p, "location": paris.id, "number": "+33184883201", "extension": "3201"},
        {"email": "clash@example.com", "package": p, "location": paris.id, "extension": "3209"},
        {"email": "none@example.com", "package": p, "location": paris.id},
        {"email": "twice@example.com", "package": p, "location": paris.id, "number": "+33184883201"},
        {"email": "nolocation@example.com", "package": p, "extension": "40"},
    ])
    response = admin_client.post("/admin/users/add", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="extension-1-error">Extension 3209 is already used.' in page
    assert 'id="extension-2-error">Give at least a phone number or an extension.' in page
    assert 'id="number-3-error">01 84 88 32 01 appears twice.' in page  # row 0 chose it first and keeps it
    assert 'id="number-0-error"' not in page
    assert 'id="location-4-error">Choose a location.' in page
    assert 'value="ok@example.com"' in page  # the form is kept
    assert _count_users() == before


def test_extension_rules(admin_client, packages, paris):
    for bad in ("1", "12345678901", "12a"):
        data = rows_form("finish", [{"email": "e@example.com", "package": packages["webex_suite"].id,
                                     "location": paris.id, "extension": bad}])
        assert "An extension has 2 to 10 digits." in admin_client.post("/admin/users/add", data=data).get_data(as_text=True)
    data = rows_form("finish", [{"email": "e@example.com", "package": packages["webex_suite"].id,
                                 "location": paris.id, "extension": "1234567890"}])
    assert admin_client.post("/admin/users/add", data=data).status_code == 302


def test_a_number_of_another_location_is_refused(admin_client, packages, paris, other_org):
    data = rows_form("finish", [{"email": "e@example.com", "package": packages["webex_suite"].id,
                                 "location": paris.id, "number": "+33472104503"}])
    page = admin_client.post("/admin/users/add", data=data).get_data(as_text=True)
    assert "The number must belong to the chosen location." in page
    assert db.session.scalar(select(PhoneNumber.user_id).where(PhoneNumber.e164 == "+33472104503")) is None


def test_the_proposed_extension_is_the_last_four_digits_unless_taken(
        admin_client, organization, make_user, packages, paris):
    assert proposed_extensions(organization, ["+33184883207", "+33184883208"]) == {
        "+33184883207": "3207", "+33184883208": "3208"}
    make_user("has3207@example.com", location=paris, extension="3207")
    assert proposed_extensions(organization, ["+33184883207", "+33184883208"]) == {"+33184883208": "3208"}
    # Step 2 carries the proposals for its script: the taken one is not proposed.
    data = rows_form("next", [{"email": "new@example.com", "package": packages["webex_calling"].id}])
    page = admin_client.post("/admin/users/add", data=data).get_data(as_text=True)
    assert '<option value="+33184883208" data-extension="3208"' in page
    assert '<option value="+33184883207" >' in page


def _step_two(admin_client, packages, rows):  # type: ignore[no-untyped-def]
    return html.unescape(admin_client.post("/admin/users/add", data=rows_form("next", rows)).get_data(as_text=True))


def test_step_two_shows_numbers_in_national_format_and_names_each_row(admin_client, packages):
    p = packages["webex_calling"].id
    admin_client.post("/language", data={"locale": "fr"})
    page = _step_two(admin_client, packages, [{"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com",
                                              "package": p}, {"email": "bob@example.com", "package": p}])
    # The value stays E.164 (what is stored); the reader sees the number as everywhere else in the product.
    assert '<option value="+33184883201" data-extension="3201" >01 84 88 32 01</option>' in page
    assert ">+33184883201<" not in page
    # Each row is named by its row header: the person's name and address.
    assert ('<th role="rowheader" scope="row" id="person-0">\n        <span class="person-name">Ann Lee</span><br>'
            '<span class="person-email">ann@example.com</span>') in page
    assert '<th role="rowheader" scope="row" id="person-1">\n        <span class="person-email">bob@example.com</span>' in page


def test_a_number_chosen_twice_in_one_batch_says_so_on_the_second_row_and_goes_once_fixed(
        admin_client, packages, paris):
    p = packages["webex_suite"].id
    rows = [{"email": "ann@example.com", "package": p, "location": paris.id, "number": "+33184883205"},
            {"email": "bob@example.com", "package": p, "location": paris.id, "number": "+33184883205"}]
    before = _count_users()
    admin_client.post("/language", data={"locale": "fr"})
    response = admin_client.post("/admin/users/add", data=rows_form("finish", rows))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert 'id="number-1-error">01 84 88 32 05 apparaît deux fois.' in page
    assert "vient d’être attribué" not in page and 'id="number-0-error"' not in page
    assert _count_users() == before  # nothing stored
    rows[1]["number"] = "+33184883206"  # fixed: the row's error is gone, the batch goes through
    response = admin_client.post("/admin/users/add", data=rows_form("finish", rows))
    assert response.status_code == 302
    assert db.session.scalar(select(User.email).join(User.phone_number).where(
        PhoneNumber.e164 == "+33184883206")) == "bob@example.com"


def test_a_number_another_administrator_gave_away_still_says_just_taken(admin_client, packages, paris, make_user):
    make_user("quick@example.com", location=paris,
              phone_number=db.session.scalar(select(PhoneNumber).where(PhoneNumber.e164 == "+33184883207")))
    rows = [{"email": "late@example.com", "package": packages["webex_suite"].id, "location": paris.id,
             "number": "+33184883207"}]
    admin_client.post("/language", data={"locale": "fr"})
    page = html.unescape(admin_client.post("/admin/users/add", data=rows_form("finish", rows)).get_data(as_text=True))
    assert "id=\"number-0-error\">01 84 88 32 07 vient d’être attribué. Choisissez un autre numéro." in page


def test_step_three_lists_numbers_extensions_and_invitations_and_starts_again(
        admin_client, organization, packages, paris, other_org):
    admin_client.post("/language", data={"locale": "fr"})
    data = rows_form("finish", [
        {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com", "package": packages["webex_suite"].id,
         "location": paris.id, "number": "+33184883204", "extension": "3204"},
        {"email": "bob@example.com", "package": packages["webex_calling"].id, "location": paris.id, "extension": "77"},
    ])
    response = admin_client.post("/admin/users/add", data=data)
    assert response.status_code == 302
    page = html.unescape(admin_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "2 utilisateurs ajoutés" in page and "Terminer" in page
    rows = re.findall(r"<tr[^>]*>\s*(.*?)\s*</tr>", page, re.DOTALL)
    cells = [re.sub(r"<[^>]+>", " ", row).split() for row in rows[1:]]
    assert cells == [["Ann", "Lee", "ann@example.com", "01", "84", "88", "32", "04", "3204", "Invitation", "envoyée"],
                     ["bob@example.com", "Aucun", "77", "Invitation", "envoyée"]]
    assert '<a class="button primary" href="/admin/users/add">Ajouter d’autres utilisateurs</a>' in page
    # Someone of another organization cannot be listed by changing the address.
    other = other_org["employee"].id
    page = admin_client.get(f"/admin/users/added?user={other}").get_data(as_text=True)
    assert "worker@globex.example.com" not in page and 'class="wizard-added"' not in page


def test_step_three_says_when_no_invitation_went_out(admin_client, organization, packages, paris, mailbox):
    organization.activation_emails = ActivationEmails.MANUAL.value
    db.session.commit()
    data = rows_form("finish", [{"email": "quiet@example.com", "package": packages["webex_suite"].id,
                                 "location": paris.id, "extension": "88"}])
    page = admin_client.post("/admin/users/add", data=data, follow_redirects=True).get_data(as_text=True)
    assert "1 user added" in page and "quiet@example.com" in page
    assert "Not sent (manual activation emails)" in page and "Invitation sent" not in page
