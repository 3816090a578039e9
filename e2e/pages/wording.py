"""The words people read, per language. French follows the guides ("Créer des utilisateurs",
"User Hub pour Webex Calling > Se connecter"); English is the source wording of the app."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    browser_locale: str  # the browser's language (navigator.language and Accept-Language)
    # Activation email (guide step 1)
    activation_subject: str  # str.format with organization=...
    activate_button: str
    # Create a password (guide step 2)
    create_password_heading: str
    password: str
    confirm_password: str
    create_button: str
    checklist_title: str
    rule_digit: str
    rule_upper: str
    rule_special: str
    # Enter your name (guide step 4)
    name_heading: str
    name_field: str
    enter_button: str
    # Home (guide step 5)
    home_heading: str
    sign_out_button: str
    # Sign in (User Hub article, "Se connecter")
    sign_in_heading: str
    email_field: str
    sign_in_button: str
    signed_out_message: str
    # A link that cannot be used again
    link_problem_heading: str
    link_used: str


WORDING: dict[str, Wording] = {
    "fr": Wording(
        browser_locale="fr-FR",
        activation_subject="Activez votre compte User Hub {organization}",
        activate_button="Activer",
        create_password_heading="Créer un mot de passe",
        password="Mot de passe",
        confirm_password="Confirmer le mot de passe",
        create_button="Créer",
        checklist_title="Critères de sécurité obligatoires du mot de passe",
        rule_digit="Au moins 1 numéro",
        rule_upper="Au moins 1 lettre majuscule",
        rule_special="Au moins 1 caractère spécial",
        name_heading="Saisissez votre nom",
        name_field="Votre nom",
        enter_button="Entrer",
        home_heading="Passer un appel ou rejoindre une réunion",
        sign_out_button="Se déconnecter",
        sign_in_heading="Se connecter",
        email_field="Adresse électronique",
        sign_in_button="Se connecter",
        signed_out_message="Vous êtes déconnecté.",
        link_problem_heading="Ce lien ne peut pas être utilisé",
        link_used="Ce lien a déjà été utilisé.",
    ),
    "en": Wording(
        browser_locale="en-US",
        activation_subject="Activate your {organization} User Hub account",
        activate_button="Activate",
        create_password_heading="Create a password",
        password="Password",
        confirm_password="Confirm the password",
        create_button="Create",
        checklist_title="Mandatory password security criteria",
        rule_digit="At least 1 number",
        rule_upper="At least 1 upper-case letter",
        rule_special="At least 1 special character",
        name_heading="Enter your name",
        name_field="Your name",
        enter_button="Enter",
        home_heading="Make a call or join a meeting",
        sign_out_button="Sign out",
        sign_in_heading="Sign in",
        email_field="Email address",
        sign_in_button="Sign in",
        signed_out_message="You are signed out.",
        link_problem_heading="This link cannot be used",
        link_used="This link has already been used.",
    ),
}
