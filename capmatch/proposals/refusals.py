"""Why a step on a proposal is refused, in the reader's language.

The workflow (workflow.py) is pure and says why in English for its own tests and logs; it keeps
the state, the event and the party it refused, and the service writes the refusal from those
here, in full sentences the catalogs translate. The states' words are those of the pages
(capmatch.web.labels.WORDS, the same messages), which a service may not import.
"""

from __future__ import annotations

from babel.lists import format_list

from capmatch.i18n import N_, gettext
from capmatch.i18n.locales import babel_locale
from capmatch.proposals import workflow as wf
from capmatch.proposals.notices import PARTY_NAMES

# The proposal's and the need's states, as the pages name them.
STATE_WORDS = {
    "proposed": N_("Proposed"), "approved": N_("Approved"), "accepted": N_("Accepted"), "confirmed": N_("Confirmed"),
    "agreed": N_("Agreed"), "deployed": N_("Deployed"), "completed": N_("Completed"), "rejected": N_("Rejected"),
    "declined": N_("Declined"), "withdrawn": N_("Withdrawn"), "expired": N_("Expired"), "superseded": N_("Superseded"),
    "draft": N_("Draft"), "open": N_("Open"), "partially_filled": N_("Partially filled"), "filled": N_("Filled"),
    "closed": N_("Closed"), "cancelled": N_("Cancelled"),
}
# An action asked of a proposal in a state that does not allow it, one sentence for each action.
TOO_LATE_OR_EARLY = {
    "approve": N_("This proposal is {status}: it cannot be approved now."),
    "reject": N_("This proposal is {status}: it cannot be rejected now."),
    "accept": N_("This proposal is {status}: it cannot be accepted now."),
    "decline": N_("This proposal is {status}: it cannot be declined now."),
    "confirm": N_("This proposal is {status}: the release of the expert cannot be confirmed now."),
    "deploy": N_("This proposal is {status}: the expert's arrival cannot be recorded now."),
    "complete": N_("This proposal is {status}: the deployment cannot be completed now."),
    "withdraw": N_("This proposal is {status}: it cannot be withdrawn now."),
}
NOT_NOW = N_("This proposal is {status}: this step cannot be taken now.")
OTHER_SIDE = N_("This step belongs to another side of the proposal: {parties}.")
NO_PART = N_("You take no part in this proposal.")
REASON_NEEDED = {
    "reject": N_("Give a reason to reject a proposal."),
    "decline": N_("Give a reason to decline a proposal."),
    "withdraw": N_("Give a reason to withdraw a proposal."),
}
ANY_REASON_NEEDED = N_("Give a reason for this step.")
# The action a person asks for that fires each event (the workflow's "decline" is two events).
_ACTION_OF = {name: action for action, names in wf.ACTIONS.items() for name in names}


def status_word(state: str) -> str:
    """A proposal's or a need's state as a sentence names it: "approved", "partially filled"."""
    word = STATE_WORDS.get(state)
    return gettext(word).lower() if word else state.replace("_", " ")


def refusal(exc: wf.TransitionError) -> str:
    """What the person who asked is told when the workflow refuses the step."""
    if isinstance(exc, wf.WrongParty):
        if exc.party is None:
            return gettext(NO_PART)
        parties = [_lower_first(gettext(PARTY_NAMES[p])) for p in wf.EVENTS[exc.event].parties]
        return gettext(OTHER_SIDE, parties=format_list(parties, style="or", locale=babel_locale()))
    sentence = TOO_LATE_OR_EARLY.get(_ACTION_OF.get(exc.event, ""), NOT_NOW)
    return gettext(sentence, status=status_word(exc.state))


def reason_needed(action: str) -> str:
    return gettext(REASON_NEEDED.get(action, ANY_REASON_NEEDED))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
