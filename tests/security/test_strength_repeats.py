"""The bounded strength estimate finds the repeats zxcvbn finds, even when shorter repeats come first."""

from __future__ import annotations

import pytest
from zxcvbn import zxcvbn

from userhub.security.password_policy import (
    PersonalDetails,
    Rule,
    check_password,
    strength_score,
)


@pytest.mark.parametrize("text", ["000100000100", "001001001001", "110110110110", "aabaabaabaab", "0001000001000"])
def test_a_short_base_repeated_is_never_stronger_than_zxcvbn_says(text):
    # Found by hypothesis: "000100" twice scored 3 (accepted strength) where zxcvbn says 1.
    assert strength_score(text, []) <= zxcvbn(text)["score"] < 3


# --- a weak unit repeated with small variations; French passwords, words and names --------------

NOBODY = PersonalDetails()


def _upto(text: str, length: int = 256) -> str:
    return text[:length]


VARIED = {
    "counter": _upto("".join(f"Password{k}!" for k in range(1, 30))),
    "short counter": "Password1!Password2!Password3!",
    "alternation": _upto("".join(f"Password1{'!?'[k % 2]}/" for k in range(30))),
    "short alternation": "Password1!/Password1?/Password1!/Password1?/",
    "changing separator": "Soleil-Soleil_Soleil.Soleil!Soleil?2024",
    "changing separator, long": _upto("".join(f"Soleil2024{'-_.!?#~'[k % 7]}" for k in range(30))),
    "case changes": "Password1!PASSWORD1!password1!PassWord1!",
    "keyboard walk back and forth": "qwertyuiopPOIUYTREWQqwertyuiopPOIUYTREWQ1!",
    "azerty walk back and forth": "azertyuiopPOIUYTREZAazertyuiopPOIUYTREZA1!",
    "walk there and back once": "Qwertyuiop[]\\][poiuytrewq1!",
    "someone's name and year": "Michel2024!" * 3,
    "someone's name and year, long": "Michel2024!" * 23,
    "name with a changing year": _upto("".join(f"Michel{year}!" for year in range(1990, 2024))),
}
FRENCH = ["Soleil2024!", "Mot2passe!", "Motdepasse1!", "Marseille13!", "Azerty123!", "Doudou2010!",
          "Nathalie1975!", "Bonjour123!", "Chouchou!1", "Jetaime2024!", "Loulou-1234"]


@pytest.mark.parametrize("password", VARIED.values(), ids=VARIED.keys())
def test_a_weak_unit_repeated_with_variations_is_refused(password: str):
    assert len(password) <= 256
    assert Rule.STRENGTH in check_password(password, NOBODY)


@pytest.mark.parametrize("password", FRENCH)
def test_common_french_passwords_words_and_names_are_refused(password: str):
    assert Rule.STRENGTH in check_password(password, NOBODY)


@pytest.mark.parametrize("password", ["Soleil2024!", "Mot2passe!", "Nathalie1975!"])
def test_plain_zxcvbn_accepted_these(password: str):
    assert zxcvbn(password)["score"] >= 3  # what the check used to be


@pytest.mark.parametrize(
    "password",
    ["Violet-Harbour-Kettle-93!", "Grenouille-Cartable-Orage-47!", "Vx9#quTm2!Lp",
     "correct horse battery staple 7A!", "Le chat de Zoé mange 3 prunes !", "Brume;Falaise;Hibou;1987"],
)
def test_strong_passphrases_are_still_accepted(password: str):
    assert check_password(password, NOBODY) == []


def test_the_organizations_and_sites_names_count_as_known_words():
    assert check_password("Zephyrcom2024!", NOBODY) == []
    assert check_password("Zephyrcom2024!", PersonalDetails(organization="Zephyrcom")) == [Rule.STRENGTH]
    assert check_password("Kerbrat-Ocean7!", PersonalDetails(organization="Kerbrat Océan")) == []
    assert check_password("KerbratOcean7!", PersonalDetails(organization="Kerbrat Ocean")) == [Rule.STRENGTH]
    assert check_password("Plouzane#2024", NOBODY) == []
    assert check_password("Plouzane#2024", PersonalDetails(site="Plouzané")) == [Rule.STRENGTH]


def test_a_person_is_told_in_french_why_soleil2024_is_refused(app, jane):  # type: ignore[no-untyped-def]
    from userhub.accounts.services import password_problems

    person = jane  # of Acme, Paris office
    assert check_password("ParisOffice#24", NOBODY) == []
    # its own app context, as a request on a server has (the fixture's may have settled on English)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        problems = password_problems(person, "Soleil2024!")
        assert len(problems) == 1
        assert problems[0].startswith("Trop facile à deviner")
        assert problems[0].endswith("les suites de touches et les répétitions")
        assert password_problems(person, VARIED["counter"]) == problems
        assert password_problems(person, "ParisOffice#24") == problems  # the site's name
        assert password_problems(person, "Violet-Harbour-Kettle-93!") == []
