"""Organizations: public reads; the administrator registers and changes them.

An organization's own users (requesters, providers) may change its description and nothing else:
kind, country, roles and memberships drive eligibility and matching, so only the secretariat's
administrator sets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.enums import DEFAULT_AGREEMENT_FORM
from capmatch.errors import CapmatchError, Conflict, Forbidden, InvalidInput, NotFound, Problems, problems_of
from capmatch.i18n import N_, _
from capmatch.organizations.models import Membership, Organization
from capmatch.organizations.schemas import ORGANIZATION_NULLABLE_FIELDS, OrganizationCreate, OrganizationUpdate
from capmatch.pagination import PageRequest, fetch_page
from capmatch.taxonomy.models import Country
from capmatch.taxonomy.service import changes_of, ilike_pattern, require_country

SELF_SERVICE_FIELDS = ("description",)
PLAIN_FIELDS = ("name", "acronym", "kind", "agreement_form", "may_request", "may_provide", "description")
GOVERNMENT_KINDS = ("member_state_agency", "host_government_ministry")


@dataclass(frozen=True)
class OrganizationRecord:
    organization: Organization
    members: list[str]


def list_organizations(
    session: Session,
    *,
    kind: tuple[str, ...] = (),
    country: str | None = None,
    may_request: bool | None = None,
    may_provide: bool | None = None,
    q: str | None = None,
    page: PageRequest,
) -> tuple[list[OrganizationRecord], int]:
    stmt = sa.select(Organization).order_by(Organization.name, Organization.id)
    if kind:
        stmt = stmt.where(Organization.kind.in_(kind))
    if country:
        stmt = stmt.where(Organization.country_iso3 == country.strip().upper())
    if may_request is not None:
        stmt = stmt.where(Organization.may_request.is_(may_request))
    if may_provide is not None:
        stmt = stmt.where(Organization.may_provide.is_(may_provide))
    if q and q.strip():
        pattern = ilike_pattern(q)
        stmt = stmt.where(sa.or_(Organization.name.ilike(pattern), Organization.acronym.ilike(pattern)))
    organizations, total = fetch_page(session, stmt, page)
    return describe_organizations(session, organizations), total


def get_organization(session: Session, *, organization_id: int) -> OrganizationRecord:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(_("No organization has the id {id}.", id=organization_id))
    return describe_organizations(session, [organization])[0]


def describe_organizations(session: Session, organizations: list[Organization]) -> list[OrganizationRecord]:
    members: dict[int, list[str]] = {o.id: [] for o in organizations}
    if members:
        for org_id, iso3 in session.execute(
            sa.select(Membership.organization_id, Membership.country_iso3)
            .where(Membership.organization_id.in_(members))
            .order_by(Membership.organization_id, Membership.country_iso3)
        ):
            members[org_id].append(iso3)
    return [OrganizationRecord(o, members[o.id]) for o in organizations]


def create_organization(session: Session, *, actor: Actor | None, data: OrganizationCreate) -> Organization:
    actor = _require_admin(actor)
    values = data.model_dump()
    organization = Organization(agreement_form=values.pop("agreement_form") or DEFAULT_AGREEMENT_FORM[data.kind])
    _apply(session, organization, values, organization_id=None)
    session.add(organization)
    session.flush()  # the id keys the memberships and the audit event
    _replace_members(session, organization, values["members"])
    record(session, actor=actor, entity_type="organization", entity_id=organization.id, action="create",
           data={"name": organization.name})
    return organization


def update_organization(
    session: Session, *, actor: Actor | None, organization_id: int, data: OrganizationUpdate
) -> Organization:
    actor = require_actor(actor)
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(_("No organization has the id {id}.", id=organization_id))
    changes = changes_of(data, nullable=ORGANIZATION_NULLABLE_FIELDS)
    if actor.role != "admin":
        if not actor.acts_for(organization.id) or actor.is_secretariat:
            raise Forbidden(_("Only an administrator or the organization's own users may change it."))
        for name in changes:
            if name not in SELF_SERVICE_FIELDS:
                raise Forbidden(_("Only an administrator may change {field}.", field=name), field=name)
    if not changes:
        return organization
    _apply(session, organization, changes, organization_id=organization.id)
    if "members" in changes:
        _replace_members(session, organization, changes["members"])
    record(session, actor=actor, entity_type="organization", entity_id=organization.id, action="update",
           data={"changed": sorted(changes)})
    return organization


def _require_admin(actor: Actor | None) -> Actor:
    actor = require_actor(actor)
    if actor.role != "admin":
        raise Forbidden(_("Only an administrator registers organizations."))
    return actor


def _apply(
    session: Session, organization: Organization, values: dict[str, Any], *, organization_id: int | None
) -> None:
    """Check and set the values given; every check runs, and one InvalidInput carries all that failed."""
    problems = Problems()
    if "name" in values:
        with problems.check():
            check_name_free(session, values["name"], organization_id)
    if "country" in values:
        country = values["country"]
        with problems.check():
            organization.country_iso3 = require_country(session, country, field="country").iso3 if country else None
    if "members" in values:
        with problems.check():
            check_members(session, values["members"])
    for name in PLAIN_FIELDS:
        if name in values:
            setattr(organization, name, values[name])
    if not problems.has("country"):
        with problems.check():
            check_kind_fits(kind=organization.kind, country=organization.country_iso3,
                            may_request=organization.may_request, may_provide=organization.may_provide)
    problems.raise_any()


def organization_problems(session: Session, *, actor: Actor | None, values: dict[str, Any],
                          organization_id: int | None = None) -> list[CapmatchError]:
    """What is wrong with an organization form's fields that passed the schema (a name taken, an
    unknown member country), without writing anything: the form shows these with its other errors."""
    _require_admin(actor)
    return problems_of(lambda: _apply(session, Organization(), values, organization_id=organization_id))


def check_kind_fits(*, kind: str | None, country: str | None, may_request: bool | None,
                    may_provide: bool | None) -> None:
    """An organization's kind against its home country, and that it requests or provides: every
    problem at once. (A kind not given yet is not checked against the country.)"""
    problems = Problems()
    if kind == "intergovernmental_organization" and country is not None:
        problems.add(_("An intergovernmental organization has no home country: leave the country blank."),
                     field="country")
    if kind in GOVERNMENT_KINDS and country is None:
        problems.add(_("Choose the country: a government body needs its country."), field="country")
    if not (may_request or may_provide):
        problems.add(_("Tick whether the organization requests or provides expertise (or both)."), field="may_request")
    problems.raise_any()


def check_name_free(session: Session, name: str, organization_id: int | None = None) -> None:
    stmt = sa.select(Organization.id).where(sa.func.lower(Organization.name) == name.lower())
    if organization_id is not None:
        stmt = stmt.where(Organization.id != organization_id)
    if session.scalar(stmt.limit(1)) is not None:
        raise Conflict(_("An organization named {name} is already on CapMatch.", name=name), field="name")


def check_members(session: Session, codes: list[str]) -> None:
    """Every member country code is a country's; each one that is not is named on its place, members[i]."""
    known = set(session.scalars(sa.select(Country.iso3).where(Country.iso3.in_(codes))))
    problems = Problems()
    for i, code in enumerate(codes):
        if code not in known:
            problems.add(_("No country has the code '{code}': check the member countries.", code=code),
                         field=f"members[{i}]")
    problems.raise_any()


def _replace_members(session: Session, organization: Organization, codes: list[str]) -> None:
    session.execute(sa.delete(Membership).where(Membership.organization_id == organization.id))
    session.add_all(Membership(organization_id=organization.id, country_iso3=code) for code in codes)


@dataclass(frozen=True)
class Side:
    """One side of the marketplace, as it matters for who may post on behalf of an organization."""

    role: str  # the user role that acts for such organizations
    capability: str  # the Organization flag: may_request or may_provide
    field: str  # the body field naming the organization
    # What is said when the organization will not do, marked for the catalogs (translated when said).
    unnamed: str
    incapable: str  # {name}: the organization
    other_role: str
    not_own: str
    not_registered: str


REQUESTING = Side(
    "requester", "may_request", "requester_org_id",
    unnamed=N_("Name the requesting organization."),
    incapable=N_("{name} does not request expertise."),
    other_role=N_("Only requesters and the secretariat post needs."),
    not_own=N_("You may post needs only for your own organization."),
    not_registered=N_("Your organization is not registered to request expertise."),
)
PROVIDING = Side(
    "provider", "may_provide", "provider_org_id",
    unnamed=N_("Name the providing organization."),
    incapable=N_("{name} does not provide expertise."),
    other_role=N_("Only providers and the secretariat list offers."),
    not_own=N_("You may list offers only for your own organization."),
    not_registered=N_("Your organization is not registered to provide expertise."),
)


def acting_organization(session: Session, *, actor: Actor, org_id: int | None, side: Side) -> Organization:
    """The organization a new need or offer is posted for, if this actor may post for it."""
    if actor.is_secretariat:
        if org_id is None:
            raise InvalidInput(_(side.unnamed), field=side.field)
        org = session.get(Organization, org_id)
        if org is None:
            raise InvalidInput(_("No organization has the id {id}.", id=org_id), field=side.field)
        if not getattr(org, side.capability):
            raise InvalidInput(_(side.incapable, name=org.name), field=side.field)
        return org
    if actor.role != side.role:
        raise Forbidden(_(side.other_role))
    if org_id is not None and not actor.acts_for(org_id):
        raise Forbidden(_(side.not_own), field=side.field)
    org = session.get(Organization, actor.organization_id)
    if org is None or not getattr(org, side.capability):
        raise Forbidden(_(side.not_registered))
    return org
