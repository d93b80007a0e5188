"""Applications to join the marketplace: anyone applies, the secretariat's administrator decides.

Nothing an applicant writes is shown outside the administrator's queue until accepted. Accepting
registers the organization (capmatch.organizations.service) and invites the applicant's focal
point; declining e-mails the reason to them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.accounts import emails
from capmatch.accounts.invitations import invite, normalize_email
from capmatch.accounts.outbox import queue_email
from capmatch.applications.models import Application
from capmatch.applications.schemas import ApplicationCreate
from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_admin
from capmatch.enums import DEFAULT_AGREEMENT_FORM
from capmatch.errors import CapmatchError, Conflict, InvalidInput, NotFound, Problems, problems_of
from capmatch.i18n import _
from capmatch.organizations.models import Organization
from capmatch.organizations.schemas import OrganizationCreate
from capmatch.organizations.service import check_kind_fits, check_members, check_name_free, create_organization
from capmatch.pagination import PageRequest, fetch_page
from capmatch.taxonomy.service import require_country

REASON_MAX = 2000


def _checked(session: Session, values: dict[str, Any]) -> tuple[str, str | None]:
    """(the focal point's address, the home country's code) of an application's values, every check at
    once (a value left out is not checked): one InvalidInput carries all that failed."""
    problems = Problems()
    email = country = None
    if values.get("focal_email") is not None:
        with problems.check():
            email = normalize_email(values["focal_email"], field="focal_email")
    if values.get("country"):
        with problems.check():
            country = require_country(session, values["country"], field="country").iso3
    if not problems.has("country"):
        with problems.check():
            check_kind_fits(kind=values.get("kind"), country=country, may_request=values.get("may_request"),
                            may_provide=values.get("may_provide"))
    if values.get("members"):
        with problems.check():
            check_members(session, values["members"])
    if values.get("name"):
        with problems.check():
            check_name_free(session, values["name"])
    problems.raise_any()
    return email or "", country


def application_problems(session: Session, *, values: dict[str, Any]) -> list[CapmatchError]:
    """What is wrong with the join form's fields that passed the schema (an address that is not one, a
    name already registered), without writing anything: the form shows these with its other errors."""
    return problems_of(lambda: _checked(session, values))


def submit(session: Session, *, data: ApplicationCreate) -> Application:
    """Record an application (from anyone: no actor) and acknowledge it to the focal point."""
    email, country = _checked(session, data.model_dump())
    application = Application(
        name=data.name, acronym=data.acronym, kind=data.kind, country_iso3=country, members=list(data.members),
        agreement_form=data.agreement_form or DEFAULT_AGREEMENT_FORM[data.kind], may_request=data.may_request,
        may_provide=data.may_provide, focal_name=data.focal_name, focal_email=email, statement=data.statement,
    )
    session.add(application)
    session.flush()  # the id keys the audit event
    subject, body = emails.application_received(name=application.name)
    queue_email(session, to=email, subject=subject, body=body)
    record(session, actor=None, entity_type="application", entity_id=application.id, action="create",
           to_state="pending", data={"name": application.name})
    return application


def list_applications(session: Session, *, actor: Actor | None, status: str | None,
                      page: PageRequest) -> tuple[list[Application], int]:
    require_admin(actor)
    stmt = sa.select(Application).order_by(Application.created_at.desc(), Application.id.desc())
    if status:
        stmt = stmt.where(Application.status == status)
    return fetch_page(session, stmt, page)


def get_application(session: Session, *, actor: Actor | None, application_id: int, lock: bool = False) -> Application:
    require_admin(actor)
    stmt = sa.select(Application).where(Application.id == application_id)
    application = session.scalar(stmt.with_for_update() if lock else stmt)
    if application is None:
        raise NotFound(_("No application has the id {id}.", id=application_id))
    return application


def _pending(session: Session, actor: Actor | None, application_id: int) -> Application:
    application = get_application(session, actor=actor, application_id=application_id, lock=True)
    if application.status != "pending":
        message = _("This application was accepted already.") if application.status == "accepted" else _(
            "This application was declined already.")
        raise Conflict(message, field="application_id")
    return application


def accept(session: Session, *, actor: Actor | None, application_id: int, role: str | None = None) -> Organization:
    """Register the organization and invite its focal point (as a provider where it provides, unless `role`)."""
    actor = require_admin(actor)
    application = _pending(session, actor, application_id)
    organization = create_organization(session, actor=actor, data=OrganizationCreate(
        name=application.name, acronym=application.acronym, kind=application.kind, country=application.country_iso3,
        agreement_form=application.agreement_form, may_request=application.may_request,
        may_provide=application.may_provide, description=application.statement[:10000],
        members=list(application.members)))
    role = role or ("provider" if application.may_provide else "requester")
    invite(session, actor=actor, email=application.focal_email, full_name=application.focal_name, role=role,
           organization_id=organization.id, is_focal_point=True)
    application.status, application.organization_id = "accepted", organization.id
    application.decided_at, application.decided_by_id = datetime.now(UTC), actor.db_user_id
    record(session, actor=actor, entity_type="application", entity_id=application.id, action="accept",
           from_state="pending", to_state="accepted", data={"organization_id": organization.id})
    return organization


def decline(session: Session, *, actor: Actor | None, application_id: int, reason: str) -> Application:
    actor = require_admin(actor)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give the reason the applicant will read."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("Keep the reason under {count} characters.", count=REASON_MAX), field="reason")
    application = _pending(session, actor, application_id)
    application.status, application.decision_reason = "declined", reason
    application.decided_at, application.decided_by_id = datetime.now(UTC), actor.db_user_id
    subject, body = emails.application_declined(name=application.name, reason=reason)
    queue_email(session, to=application.focal_email, subject=subject, body=body)
    record(session, actor=actor, entity_type="application", entity_id=application.id, action="decline",
           from_state="pending", to_state="declined", reason=reason)
    return application
