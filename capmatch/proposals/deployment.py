"""The deployment steps' own data: the date the expert arrived, and the record a completion writes.

Completing a deployment writes it to the expert's deployment record (offers' past_deployments),
the table the matching snapshot averages for the appraisal score: the host's appraisal informs
the next run through the same rows a provider's own history does.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.errors import InvalidInput
from capmatch.i18n import _
from capmatch.i18n.formats import day
from capmatch.needs.models import Need
from capmatch.offers.models import Offer, PastDeployment
from capmatch.organizations.models import Organization
from capmatch.proposals.models import Proposal


def check_dates(action: str, *, arrived_on: date | None, ended_on: date | None) -> None:
    """A date of arrival belongs to a deployment, an end date to a completion."""
    if arrived_on is not None and action != "deploy":
        raise InvalidInput(_("A date of arrival is given only when recording a deployment."), field="arrived_on")
    if ended_on is not None and action != "complete":
        raise InvalidInput(_("An end date is given only when completing a deployment."), field="ended_on")


def record_arrival(proposal: Proposal, *, arrived_on: date | None, today: date) -> None:
    """The expert arrived on `arrived_on` (today when not given), which cannot be a day still to come."""
    arrived_on = arrived_on or today
    if arrived_on > today:
        raise InvalidInput(_("The date of arrival cannot be in the future: record the deployment once the "
                             "expert has arrived."), field="arrived_on")
    proposal.deployed_on = arrived_on


def end_date_problem(ended_on: date, *, arrived_on: date | None, today: date) -> str | None:
    """Why a deployment cannot end on `ended_on`: a day still to come, or before the expert arrived."""
    if ended_on > today:
        return _("The end date cannot be in the future: complete the deployment once it has ended.")
    if arrived_on is not None and ended_on < arrived_on:
        return _("The end date must be on or after the day the expert arrived ({day}).", day=day(arrived_on))
    return None


def record_completion(
    session: Session, *, proposal: Proposal, need: Need, offer: Offer, appraisal: int, comment: str | None,
    ended_on: date | None, today: date,
) -> PastDeployment:
    """End the deployment on `ended_on` (today when not given) and add it to the expert's record."""
    ended_on = ended_on or today
    # A deployment recorded before arrival dates were kept counts from its end.
    started_on = proposal.deployed_on or ended_on
    if problem := end_date_problem(ended_on, arrived_on=proposal.deployed_on, today=today):
        raise InvalidInput(problem, field="ended_on")
    proposal.deployed_on, proposal.ended_on = started_on, ended_on
    requester = session.scalar(sa.select(Organization.name).where(Organization.id == need.requester_org_id))
    entry = PastDeployment(
        offer_id=offer.id, country_iso3=need.duty_country_iso3, organization_name=requester or "",
        role=need.title, started_on=started_on, ended_on=ended_on, appraisal=appraisal, comment=comment,
        proposal_id=proposal.id,
    )
    session.add(entry)
    return entry
