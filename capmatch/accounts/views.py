"""The pages of one-time links and of a signed-in person's own password and e-mail address.

/invitations/{token} and /password/reset/{token}: choose a password, then land signed in;
/password/forgot asks for a reset link; /account/password and /account/email for the signed-in.
A GET only shows a link's page (a mail scanner opening it uses nothing up); the POST acts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse

from capmatch.accounts import invitations, recovery
from capmatch.accounts.links import MAX_TOKEN_LENGTH, LinkRefused
from capmatch.auth.login import LoginResult
from capmatch.auth.passwords import password_problem
from capmatch.auth.views import HOME_BY_ROLE
from capmatch.i18n import N_, _
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, save, text
from capmatch.web.links import redirect_to
from capmatch.web.session import CurrentUser, flash, sign_in
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

Token = Annotated[str, Path(max_length=MAX_TOKEN_LENGTH)]
# What a person can do about a link that no longer works, by the link's kind.
NEXT_STEP = {
    "invitation": N_("Ask the person who invited you, or the CapMatch secretariat, to send the invitation again."),
    "password_reset": N_("Ask for a new link on the “Forgot password?” page."),
    "email_change": N_("Ask for the change again from your account."),
}


def refused(request: Request, exc: LinkRefused, kind: str):
    return render(request, "accounts/link_refused.html", {
        "message": exc.message, "next_step": _(NEXT_STEP[kind]), "kind": kind, "state": exc.state,
    }, status_code=exc.status)


def _land(request: Request, signed: invitations.SignedIn, message: str):
    sign_in(request, LoginResult(actor=signed.actor, session_version=signed.session_version))
    flash(request, message)
    return RedirectResponse(HOME_BY_ROLE.get(signed.actor.role, "/"), status_code=303)


PASSWORD_FIELDS = ("password", "password_again")  # a new password, typed twice, in the order the forms show them


def _password_errors(form, errors: FormErrors, *, email: str = "") -> str:
    """The new password typed twice; what is wrong with it goes in `errors`, its strength too, so it
    is said with the form's other problems (the service checks it again as it sets it)."""
    password, again = str(form.get("password") or ""), str(form.get("password_again") or "")
    if not password:
        errors.add("password", _("Choose a password."))
    elif problem := password_problem(password, email=email):
        errors.add("password", problem)
    if password and password != again:
        errors.add("password_again", _("Type the same password in both boxes."))
    return password


# --- invitations ---------------------------------------------------------------------------------


@router.api_route("/invitations/{invitation_token}", methods=["GET", "POST"], name="invitation_accept")
def invitation_accept(invitation_token: Token, request: Request, session: DbSession, form: Form):
    try:
        invitation = invitations.describe(session, token=invitation_token)
    except LinkRefused as exc:
        return refused(request, exc, "invitation")
    values, errors = {"full_name": invitation.full_name}, FormErrors()
    if request.method == "POST":
        values["full_name"] = text(form, "full_name")
        if problem := invitations.name_problem(values["full_name"], invitation.full_name):
            errors.add("full_name", problem)
        password = _password_errors(form, errors, email=invitation.email)
        signed = None
        if not errors:
            signed = save(session, errors, None, lambda: invitations.accept(
                session, token=invitation_token, full_name=values["full_name"], password=password))
        if signed is not None:
            return _land(request, signed, _("Welcome to CapMatch: your account is ready."))
    return render(request, "accounts/invitation.html", {
        "invitation": invitation, "values": values, "errors": errors.in_order(("full_name", *PASSWORD_FIELDS)),
    }, status_code=400 if errors else 200)


# --- a forgotten password ------------------------------------------------------------------------


@router.api_route("/password/forgot", methods=["GET", "POST"], name="password_forgot")
def password_forgot(request: Request, session: DbSession, form: Form):
    values, errors, sent = {"email": ""}, FormErrors(), False
    if request.method == "POST":
        values["email"] = text(form, "email")
        if "@" not in values["email"]:
            errors.add("email", _("Enter the e-mail address you sign in with."))
        else:
            address = request.client.host if request.client else "unknown"
            wait = recovery.request_reset(session, email=values["email"], address=address)
            if wait is not None:
                errors.add("", wait.message)
                response = render(request, "accounts/forgot.html", {"values": values, "errors": errors},
                                  status_code=429)
                response.headers["Retry-After"] = str(wait.seconds)
                return response
            sent = True
    return render(request, "accounts/forgot.html", {"values": values, "errors": errors, "sent": sent},
                  status_code=400 if errors else 200)


@router.api_route("/password/reset/{reset_token}", methods=["GET", "POST"], name="password_reset")
def password_reset(reset_token: Token, request: Request, session: DbSession, form: Form):
    try:
        recovery.usable_link(session, purpose="password_reset", token=reset_token)
    except LinkRefused as exc:
        return refused(request, exc, "password_reset")
    errors = FormErrors()
    if request.method == "POST":
        password = _password_errors(form, errors)
        signed = None
        if not errors:
            signed = save(session, errors, None, lambda: recovery.reset_password(session, token=reset_token,
                                                                                password=password))
        if signed is not None:
            return _land(request, signed, _("Your new password is set; every other session has ended."))
    return render(request, "accounts/reset.html", {"errors": errors.in_order(PASSWORD_FIELDS)},
                  status_code=400 if errors else 200)


# --- the signed-in person's own password and address --------------------------------------------


@router.api_route("/account/password", methods=["GET", "POST"], name="account_password")
def account_password(request: Request, session: DbSession, actor: CurrentUser, form: Form):
    errors = FormErrors()
    if request.method == "POST":
        current = str(form.get("current_password") or "")
        if not current:
            errors.add("current_password", _("Type your current password."))
        password = _password_errors(form, errors, email=actor.email)
        if errors and current:  # a wrong current password is said with the new one's problems
            errors.add_domain_error_list(recovery.current_password_problems(session, actor=actor, current=current))
        signed = None
        if not errors:
            signed = save(session, errors, None, lambda: recovery.change_password(
                session, actor=actor, current=current, password=password))
        if signed is not None:
            # This session carries on with the new version; every other one has ended.
            sign_in(request, LoginResult(actor=signed.actor, session_version=signed.session_version))
            flash(request, _("Your password is changed; your other sessions have ended."))
            return redirect_to(request, "account_password")
    return render(request, "accounts/password.html", {
        "errors": errors.in_order(("current_password", *PASSWORD_FIELDS)),
    }, status_code=400 if errors else 200)


@router.api_route("/account/email", methods=["GET", "POST"], name="account_email")
def account_email(request: Request, session: DbSession, actor: CurrentUser, form: Form):
    values, errors = {"new_email": ""}, FormErrors()
    if request.method == "POST":
        values["new_email"] = text(form, "new_email")
        current = str(form.get("current_password") or "")
        if not current:
            errors.add("current_password", _("Type your current password."))
            errors.add_domain_error_list(recovery.new_address_problems(session, actor=actor,
                                                                       new_email=values["new_email"]))
        link = None
        if not errors:
            link = save(session, errors, None, lambda: recovery.request_email_change(
                session, actor=actor, new_email=values["new_email"], password=current))
        if link is not None:
            flash(request, _("We sent a link to {email}: your address changes once you open it.", email=link.new_email))
            return redirect_to(request, "account_email")
    return render(request, "accounts/email.html", {
        "values": values, "errors": errors.in_order(("new_email", "current_password")),
    }, status_code=400 if errors else 200)


@router.api_route("/account/email/confirm/{email_token}", methods=["GET", "POST"], name="email_confirm")
def email_confirm(email_token: Token, request: Request, session: DbSession, form: Form):
    try:
        new_email = recovery.pending_email(session, token=email_token)
    except LinkRefused as exc:
        return refused(request, exc, "email_change")
    errors = FormErrors()
    if request.method == "POST":
        user = save(session, errors, None, lambda: recovery.confirm_email_change(session, token=email_token))
        if user is not None:
            flash(request, _("Your account now signs in with {email}.", email=user.email))
            return RedirectResponse("/", status_code=303)
    return render(request, "accounts/email_confirm.html", {"new_email": new_email, "errors": errors},
                  status_code=400 if errors else 200)
