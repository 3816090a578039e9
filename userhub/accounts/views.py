"""Accounts pages. Thin: parse the form, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Response, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import show_on
from ..extensions import limiter
from ..forms import status_of
from ..i18n import gettext as _, lazy_gettext as _l
from ..security.access import public
from ..security.password_policy import Rule
from . import services
from .blueprint import bp
from .forms import (
    SignOutForm,
    ChangePasswordForm,
    DisplayNameForm,
    ForgotPasswordForm,
    LanguageForm,
    NewPasswordForm,
    SignInEmailForm,
    SignInPasswordForm,
)
from .models import UserStatus
from .tokens import TokenCheck, TokenState, hash_token

_SIGN_IN_EMAIL = "sign_in_email"


def _account_key() -> str:
    """Rate-limit key of the account being tried (whether or not it exists)."""
    email = session.get(_SIGN_IN_EMAIL) or request.form.get("email", "")
    return services.sign_in_limit_key(email)


# The link's token, kept in the signed session between the link's first hop and the password form, so that
# the page and its form have an address without it (no Referer, log line or history entry holds it).
_LINK_TOKEN = {"accounts.activate": "activation_token", "accounts.reset_password": "reset_token"}


def _link_token() -> str:
    return str(session.get(_LINK_TOKEN.get(request.endpoint or "", ""), ""))


def _token_key() -> str:
    # The digest the token table keeps, never the raw token: the limiter's keys live in Redis.
    return "token:" + hash_token(_link_token())


def _no_store(view: Callable[..., ResponseReturnValue]) -> Callable[..., Response]:
    """Pages that show a person's address and names to whoever holds the link, before any sign-in: no
    browser or proxy keeps a copy (signed-in pages get the same header in web.py)."""

    @wraps(view)
    def wrapper(*args: object, **kwargs: object) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _safe_next(target: str | None) -> str | None:
    """Only local paths: an attacker's link must not send a person elsewhere after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# Labels of the checklist, worded as in the guide ("Doit contenir" / "Ne doit pas contenir");
# refusals use the policy's own sentences.
_CHECKLIST = {
    Rule.DIGIT: _l("At least 1 number"),
    Rule.UPPER: _l("At least 1 upper-case letter"),
    Rule.LOWER: _l("At least 1 lower-case letter"),
    Rule.SPECIAL: _l("At least 1 special character (!, #, %,...)"),
    Rule.LENGTH: _l("8-256 characters"),
    Rule.PERSONAL: _l("Your name or your email address"),
}


def _policy_context() -> dict[str, object]:
    return {"policy_rules": [(rule.value, label) for rule, label in _CHECKLIST.items()]}


# --- home -------------------------------------------------------------------------------------


@bp.get("/")
def home() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()[:100]
    people = services.directory_search(current_user, query) if query else []
    return render_template("accounts/home.html", query=query, people=people)


# --- activation (guide "Créer des utilisateurs", steps 1 to 5) -----------------------------------


def _token_problem(state: TokenState | None, kind: str):  # type: ignore[no-untyped-def]
    kept = _LINK_TOKEN.get(request.endpoint or "", "")
    if kept in session:  # a link that no longer works is not kept
        session.pop(kept)
    return render_template("accounts/link_problem.html", state=state, kind=kind), 410 if state in (
        TokenState.EXPIRED,
        TokenState.USED,
        TokenState.REPLACED,
    ) else 404


def _link_hop(token: str, checked: TokenCheck, endpoint: str, kind: str) -> ResponseReturnValue:
    """The first hop of a link from an email: a link that works is kept in the session and the browser goes
    on (303) to the form's own address, which holds no token; one that does not gets its page here, as
    before (the token page sends no referrer)."""
    if checked.state != TokenState.VALID or checked.token is None:
        return _token_problem(checked.state, kind)
    session[_LINK_TOKEN[endpoint]] = token
    return redirect(url_for(endpoint), 303)


@bp.get("/activate/<token>")
@public
@_no_store
def activation_link(token: str) -> ResponseReturnValue:
    return _link_hop(token, services.check_activation(token), "accounts.activate", "activation")


@bp.route("/activate", methods=["GET", "POST"])
@public
@limiter.limit("20 per 15 minutes", key_func=_token_key, methods=["POST"])
@limiter.limit("60 per 15 minutes", methods=["POST"])
@_no_store
def activate() -> ResponseReturnValue:
    token = _link_token()  # "": no link opened in this browser, the "invalid link" page
    checked = services.check_activation(token)
    if checked.state != TokenState.VALID or checked.token is None:
        return _token_problem(checked.state, "activation")
    user = checked.token.user
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            outcome = services.activate(token, form.password.data)
        except services.PasswordRefused as refused:
            show_on(form, refused)
        else:
            if outcome.ok:
                return redirect(url_for("accounts.display_name"))
            return _token_problem(outcome.token_state, "activation")
    return render_template("accounts/create_password.html", form=form, user=user, **_policy_context()), status_of(form)


@bp.route("/welcome/name", methods=["GET", "POST"])
def display_name() -> ResponseReturnValue:
    form = DisplayNameForm()
    if request.method == "GET" and not form.display_name.data:
        form.display_name.data = services.default_display_name(current_user)
    if form.validate_on_submit():
        first_time = current_user.status == UserStatus.INVITED
        services.choose_display_name(current_user, form.display_name.data)
        if not first_time:
            flash(_("Your name has been saved."), "success")
        return redirect(url_for("accounts.home"))
    return render_template("accounts/display_name.html", form=form), status_of(form)


# --- sign-in: email first, then password ----------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = SignInEmailForm()
    if request.method == "GET" and session.get(_SIGN_IN_EMAIL):
        form.email.data = session[_SIGN_IN_EMAIL]
    if form.validate_on_submit():
        session[_SIGN_IN_EMAIL] = form.email.data
        return redirect(url_for("accounts.sign_in_password", next=_safe_next(request.args.get("next"))))
    return render_template("accounts/sign_in_email.html", form=form), status_of(form)


@bp.route("/sign-in/password", methods=["GET", "POST"])
@public
@limiter.limit(services.SIGN_IN_LIMIT, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit("100 per 15 minutes", methods=["POST"], deduct_when=_failed)
def sign_in_password() -> ResponseReturnValue:
    email = session.get(_SIGN_IN_EMAIL)
    if not email:
        return redirect(url_for("accounts.sign_in"))
    form = SignInPasswordForm()
    if form.validate_on_submit():
        user = services.authenticate(email, form.password.data)
        if user is not None:
            services.sign_in(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"))
        form.password.errors = [_("The email address or the password is not correct.")]
    return render_template("accounts/sign_in_password.html", form=form, email=email), status_of(form)


@bp.post("/sign-out")
@public
def sign_out() -> ResponseReturnValue:
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        services.sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.sign_in"))


# --- password reset and change -----------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("5 per hour", key_func=lambda: "forgot:" + request.form.get("email", "").strip().lower()[:254], methods=["POST"])
@limiter.limit("30 per hour", methods=["POST"])
@_no_store
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if request.method == "GET" and session.get(_SIGN_IN_EMAIL):
        form.email.data = session[_SIGN_IN_EMAIL]
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/forgot_password_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), status_of(form)


@bp.get("/password/reset/<token>")
@public
@_no_store
def reset_link(token: str) -> ResponseReturnValue:
    return _link_hop(token, services.check_reset(token), "accounts.reset_password", "reset")


@bp.route("/password/reset", methods=["GET", "POST"])
@public
@limiter.limit("20 per 15 minutes", key_func=_token_key, methods=["POST"])
@limiter.limit("60 per 15 minutes", methods=["POST"])
@_no_store
def reset_password() -> ResponseReturnValue:
    token = _link_token()
    checked = services.check_reset(token)
    if checked.state != TokenState.VALID or checked.token is None:
        return _token_problem(checked.state, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            outcome = services.reset_password(token, form.password.data)
        except services.PasswordRefused as refused:
            show_on(form, refused)
        else:
            if outcome.ok:
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("accounts.home"))
            return _token_problem(outcome.token_state, "reset")
    return render_template("accounts/reset_password.html", form=form, user=checked.token.user,
                           **_policy_context()), status_of(form)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=_failed)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.PasswordRefused as refused:
            show_on(form, refused)
        else:
            flash(_("Your password has been changed. Your other sessions have been signed out."), "success")
            return redirect(url_for("accounts.home"))
    return render_template("accounts/change_password.html", form=form, **_policy_context()), status_of(form)


# --- language --------------------------------------------------------------------------------------


@bp.post("/language")
@public
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        services.save_locale(current_user, form.locale.data)
    return redirect(_safe_next(form.next.data) or url_for("accounts.home"))
