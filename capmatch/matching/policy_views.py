"""Saved policies on the officer's pages: list them, save a new one (from scratch or from a run), edit, delete.

Form routes handle GET and POST: an invalid form is shown again with 400 and its errors inline;
success is a 303 redirect. The service decides what is allowed and writes in a savepoint.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from capmatch.i18n import _
from capmatch.inputs import Id
from capmatch.matching import forms, policies
from capmatch.matching import service as matching
from capmatch.matching.core.policy import COMPONENTS, DEFAULT_WEIGHTS
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, save
from capmatch.web.labels import COMPONENT_LABELS
from capmatch.web.links import redirect_to
from capmatch.web.session import CurrentOfficer, flash
from capmatch.web.templating import render

router = APIRouter(prefix="/officer/policies", include_in_schema=False)

KNOWN = forms.known_fields(forms.POLICY_FIELD_ORDER)


@router.get("")
def policy_list(request: Request, session: DbSession, actor: CurrentOfficer):
    return render(request, "matching/policies.html", {"policies": policies.list_saved(session, actor=actor)})


def _form(request: Request, *, values: dict[str, Any], errors: FormErrors, policy=None, from_run=None,
          status_code: int = 200):
    return render(request, "matching/policy_form.html", {
        "values": values, "errors": forms.in_form_order(errors, forms.POLICY_FIELD_ORDER), "policy": policy,
        "from_run": from_run, "components": [(c, COMPONENT_LABELS[c]) for c in COMPONENTS],
        "constraints": forms.constraints(),
    }, status_code=status_code)


def _saved(request: Request, session, actor, form, policy=None, from_run=None):
    """Save the posted form (a new policy, or `policy` replaced): a redirect, or the form with its errors."""
    values, data, errors, part = forms.read_policy_form(form)
    if errors:  # the checks of the fields that passed (a name taken, every weight at zero) are said with the others
        errors.add_domain_error_list(policies.policy_problems(session, actor=actor, values=part, policy=policy), KNOWN)
    saved = None
    if data is not None:
        saved = save(session, errors, KNOWN, lambda: policies.save_policy(
            session, actor=actor, data=data, policy_id=policy.id if policy else None))
    if saved is None:
        return _form(request, values=values, errors=errors, policy=policy, from_run=from_run, status_code=400)
    flash(request, _("The policy {name} is saved.", name=saved.name))
    return redirect_to(request, "policy_list")


@router.api_route("/new", methods=["GET", "POST"])
def new_policy(request: Request, session: DbSession, actor: CurrentOfficer, form: Form, run: Id | None = None):
    """With ?run=N the form starts from what that run ran with."""
    from_run = matching.get_run_record(session, actor=actor, run_id=run) if run is not None else None
    if request.method == "POST":
        return _saved(request, session, actor, form, from_run=from_run)
    if from_run is not None:
        used = from_run.policy_snapshot
        values = forms.policy_values(used.get("weights", {}), used.get("constraints", {}))
    else:
        values = forms.policy_values(DEFAULT_WEIGHTS, {})
    return _form(request, values=values, errors=FormErrors(), from_run=from_run)


@router.api_route("/{policy_id}/edit", methods=["GET", "POST"])
def edit_policy(policy_id: Id, request: Request, session: DbSession, actor: CurrentOfficer, form: Form):
    policy = policies.get_saved(session, actor=actor, policy_id=policy_id)
    if request.method == "POST":
        return _saved(request, session, actor, form, policy=policy)
    values = {"name": policy.name, "description": policy.description, "is_default": policy.is_default,
              **forms.policy_values(policy.weights, policy.constraints)}
    return _form(request, values=values, errors=FormErrors(), policy=policy)


@router.api_route("/{policy_id}/delete", methods=["GET", "POST"])
def delete_policy(policy_id: Id, request: Request, session: DbSession, actor: CurrentOfficer, form: Form):
    policy = policies.get_saved(session, actor=actor, policy_id=policy_id)
    errors = FormErrors()
    if request.method == "POST":
        name = policy.name
        save(session, errors, set(), lambda: policies.delete_policy(session, actor=actor, policy_id=policy_id))
        if not errors:
            flash(request, _("The policy {name} is deleted. The runs that used it keep what they ran with.", name=name))
            return redirect_to(request, "policy_list")
    return render(request, "matching/policy_delete.html", {"policy": policy, "errors": errors},
                  status_code=409 if errors else 200)
