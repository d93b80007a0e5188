"""Who must act next on a proposal, doing what, and by when: what every page about a proposal says.

Pure (standard library and the workflow): the dates come in, the answer goes out. The consents
wait on a deadline that expires them (workflow.AWAITING). The deployment steps have no such
deadline, the expert's arrival and departure being facts on the ground, but each has a date it
is due by: the need's start-by date for the arrival, the planned end of the assignment (arrival
plus the need's duration) for the completion and its appraisal.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime

from capmatch.proposals import workflow as wf


@dataclass(frozen=True)
class NextStep:
    # Who is asked for what: each entry is (the parties any one of whom may do it, the actions open to them).
    asks: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    due: date | None  # the day it is due by, when it has one
    expires: bool  # passing `due` ends the proposal (a consent's deadline), else it is only late

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for parties, _ in self.asks for p in parties))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for _, actions in self.asks for a in actions))


# The consents: each party waited on accepts (or confirms) or declines.
_CONSENT = {wf.REQUESTER: ("accept", "decline"), wf.PROVIDER: ("confirm", "decline")}


def next_step(
    state: str, *, deadline_at: datetime | None, start_by: date, duration_months: int,
    deployed_on: date | None,
) -> NextStep | None:
    """The step a proposal in `state` waits for; None once it is final."""
    if state in wf.FINAL:
        return None
    if state == "proposed":
        return NextStep((((wf.OFFICER,), ("approve", "reject")),), None, False)
    if state in wf.AWAITING:
        asks = tuple(((party,), _CONSENT[party]) for party in wf.AWAITING[state])
        return NextStep(asks, deadline_at.date() if deadline_at else None, True)
    if state == "agreed":
        return NextStep(((wf.EVENTS["deploy"].parties, ("deploy",)),), start_by, False)
    if state == "deployed":
        return NextStep(((wf.EVENTS["complete"].parties, ("complete",)),),
                        add_months(deployed_on or start_by, duration_months), False)
    raise ValueError(f"Unknown proposal state {state!r}.")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
