"""Who hears of a proposal's step, and what they are told (in the app, and by e-mail from there)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.i18n.formats import day
from capmatch.needs.models import Need
from capmatch.notifications.service import notify, officers, users_of_organization
from capmatch.offers.models import Offer
from capmatch.proposals import workflow as wf
from capmatch.proposals.models import Proposal

# Who hears of a proposal reaching each state (never the side that caused it).
RECIPIENTS = {
    "approved": (wf.REQUESTER, wf.PROVIDER),
    "accepted": (wf.PROVIDER,),
    "confirmed": (wf.REQUESTER,),
    "agreed": (wf.REQUESTER, wf.PROVIDER, wf.OFFICER),
    "declined": (wf.REQUESTER, wf.PROVIDER, wf.OFFICER),
    "withdrawn": (wf.REQUESTER, wf.PROVIDER, wf.OFFICER),
    "expired": (wf.REQUESTER, wf.PROVIDER, wf.OFFICER),
    "deployed": (wf.REQUESTER, wf.OFFICER),
    "completed": (wf.PROVIDER, wf.OFFICER),
}
MESSAGES = {
    "approved": ("Your answer is needed", "A matching officer approved this proposal. The requesting organization "
                 "accepts or declines it, and the providing organization confirms or declines the release of "
                 "the expert, by {deadline}."),
    "accepted": ("Confirm the release", "The requesting organization accepted this proposal. Confirm or decline "
                 "the release of the expert by {deadline}."),
    "confirmed": ("Accept or decline", "The providing organization confirmed the release of the expert, whose "
                  "full profile you can now see. Accept or decline by {deadline}."),
    "agreed": ("Both sides agreed", "The requesting and the providing organizations both agreed: the expert "
               "can be deployed."),
    "declined": ("Declined", "The {party} declined this proposal. Reason: {reason}"),
    "withdrawn": ("Withdrawn", "The {party} withdrew this proposal. Reason: {reason}"),
    "expired": ("Expired", "This proposal expired: {reason}"),
    "deployed": ("Expert deployed", "The expert has been deployed."),
    "completed": ("Deployment completed", "The deployment is complete; the host appraised it {appraisal}/5."),
}
# Events whose notice says more than the state they lead to.
EVENT_MESSAGES = {
    "cancel_need": ("Need cancelled", "The {party} cancelled the need, so this proposal is withdrawn and the "
                    "expert is free for other needs. Reason: {reason}"),
    "close_need": ("Need closed", "The {party} closed the need: it takes no new proposals, so this one is "
                   "withdrawn and the expert is free for other needs. Reason: {reason}"),
}
# The kind of event each state is, for the recipients' e-mail preferences (notifications.models).
KINDS = {
    "approved": "proposal_answer_needed", "accepted": "proposal_answer_needed", "confirmed": "proposal_answer_needed",
    "agreed": "proposal_progress", "deployed": "proposal_progress", "completed": "proposal_progress",
    "declined": "proposal_ended", "withdrawn": "proposal_ended", "expired": "proposal_ended",
}
PARTY_NAMES = {wf.OFFICER: "secretariat", wf.REQUESTER: "requesting organization",
               wf.PROVIDER: "providing organization", wf.SYSTEM: "system"}


def notify_step(
    session: Session, *, actor: Actor, proposal: Proposal, outcome: wf.Outcome, need: Need, offer: Offer,
    reason: str | None,
) -> None:
    """Tell the people concerned that `proposal` took the step `outcome`."""
    if outcome.from_state == "proposed" and outcome.to_state in wf.FINAL:
        # Ended before any officer approved it: neither side was ever asked, and it simply leaves
        # the officers' queue (as when a later run supersedes it). The audit trail keeps it.
        return
    parties = [p for p in RECIPIENTS.get(outcome.to_state, ()) if p != outcome.party]
    if not parties:
        return
    users: set[int] = set()
    if wf.REQUESTER in parties:
        users.update(users_of_organization(session, organization_id=need.requester_org_id, role="requester"))
    if wf.PROVIDER in parties:
        users.update(users_of_organization(session, organization_id=offer.provider_org_id, role="provider"))
    if wf.OFFICER in parties:
        users.update(officers(session))
    users.discard(actor.user_id)
    headline, text = EVENT_MESSAGES.get(outcome.event) or MESSAGES[outcome.to_state]

    def subject() -> str:
        return f"Proposal {proposal.id}: {headline}: {offer.title} for {need.title}"

    def body() -> str:  # written in each recipient's language
        said = text.format(deadline=day(proposal.deadline_at) if proposal.deadline_at else "",
                           party=PARTY_NAMES[outcome.party], reason=reason or "none given",
                           appraisal=proposal.appraisal)
        return f"Need: {need.title}\nOffer: {offer.title}\n\n{said}"

    notify(session, user_ids=users, subject=subject, body=body, link=f"/proposals/{proposal.id}",
           kind=KINDS[outcome.to_state])
