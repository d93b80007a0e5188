"""Who hears of a proposal's step, and what they are told (in the app, and by e-mail from there)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.i18n import N_, gettext
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
# What each state's notice says (in English, marked for the catalogs; written in each recipient's
# language when sent): its headline (the subject, with the offer and the need after it) and its
# text, in full sentences. The headlines name the states as the pages do (capmatch.web.labels.WORDS).
MESSAGES = {
    "approved": (N_("Proposal {number} is approved: your answer is needed"),
                 N_("A matching officer approved this proposal: the offer's expert fits the need. Both organizations "
                 "now give their answer by {deadline}. The requesting organization accepts or declines the expert "
                 "(host consent); the providing organization confirms or declines the release of the expert. Open "
                 "the proposal to answer. Without both answers by then, the proposal expires.")),
    "accepted": (N_("Proposal {number} is accepted: confirm the release of the expert"),
                 N_("The requesting organization accepted this proposal. It now waits for your answer: confirm the "
                 "release of the expert, or decline, by {deadline}. Without an answer by then, the proposal expires.")),
    "confirmed": (N_("Proposal {number} is confirmed: accept or decline the expert"),
                  N_("The providing organization confirmed the release of the expert: the expert's full profile is now "
                  "on the proposal's page. It now waits for your answer: accept or decline by {deadline}. Without "
                  "an answer by then, the proposal expires.")),
    "agreed": (N_("Proposal {number} is agreed by both sides"),
               N_("The requesting and the providing organizations both agreed to this proposal: the expert can be "
               "deployed. The providing organization records the expert's arrival on the proposal's page.")),
    "declined": (N_("Proposal {number} is declined"),
                 N_("{party} declined this proposal, so it has ended and the expert is free for other needs. "
                 "The reason given: {reason}")),
    "withdrawn": (N_("Proposal {number} is withdrawn"),
                  N_("{party} withdrew this proposal, so it has ended and the expert is free for other needs. "
                  "The reason given: {reason}")),
    "expired": (N_("Proposal {number} has expired"),
                N_("This proposal has ended without every answer it waited for, and the expert is free for other "
                "needs. {reason}")),
    "deployed": (N_("Proposal {number}: the expert is deployed"),
                 N_("The expert has arrived at the duty station and the deployment has begun. At its end, the "
                 "requesting organization completes it on the proposal's page with an appraisal of the expert's "
                 "work.")),
    "completed": (N_("Proposal {number}: the deployment is completed"),
                  N_("The deployment is completed and appraised {appraisal} out of 5; the appraisal joins the "
                  "expert's record.")),
}
# Events whose notice says more than the state they lead to.
EVENT_MESSAGES = {
    "cancel_need": (N_("Proposal {number} is withdrawn: the need was cancelled"),
                    N_("{party} cancelled the need, so this proposal is withdrawn and the expert is free for other "
                    "needs. The reason given: {reason}")),
    "close_need": (N_("Proposal {number} is withdrawn: the need was closed"),
                   N_("{party} closed the need: it takes no new proposals, so this one is withdrawn and the expert is "
                   "free for other needs. The reason given: {reason}")),
}
SUBJECT = N_("{headline} ({offer} for {need})")
BODY = N_("Need: {need}\nOffer: {offer}\n\n{text}")
NO_REASON = N_("none.")
# The kind of event each state is, for the recipients' e-mail preferences (notifications.models).
KINDS = {
    "approved": "proposal_answer_needed", "accepted": "proposal_answer_needed", "confirmed": "proposal_answer_needed",
    "agreed": "proposal_progress", "deployed": "proposal_progress", "completed": "proposal_progress",
    "declined": "proposal_ended", "withdrawn": "proposal_ended", "expired": "proposal_ended",
}
# Who took the step, as the proposal's page names the sides (capmatch.web.labels.PARTY_LABELS).
PARTY_NAMES = {wf.OFFICER: N_("The secretariat"), wf.REQUESTER: N_("The requesting organization"),
               wf.PROVIDER: N_("The providing organization"), wf.SYSTEM: "CapMatch"}


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

    def subject() -> str:  # written in each recipient's language
        return gettext(SUBJECT, headline=gettext(headline, number=proposal.id), offer=offer.title, need=need.title)

    def body() -> str:
        said = gettext(text, deadline=day(proposal.deadline_at) if proposal.deadline_at else "",
                       party=gettext(PARTY_NAMES[outcome.party]), reason=reason or gettext(NO_REASON),
                       appraisal=proposal.appraisal)
        return gettext(BODY, need=need.title, offer=offer.title, text=said)

    notify(session, user_ids=users, subject=subject, body=body, link=f"/proposals/{proposal.id}",
           kind=KINDS[outcome.to_state])
