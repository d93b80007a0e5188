"""One need and one offer judged as a match run would judge them: its hard rules and its score.

A manual match (proposals.service) asks here. The snapshot's loaders read just the two rows, the
pure core's PairRules checks every hard rule (the predicates the candidate builder applies), and
the pair is scored on the solver's scale with the default policy's weights: an officer's proposal
and a run's read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.i18n import _
from capmatch.i18n.formats import day as day_words
from capmatch.i18n.formats import number
from capmatch.matching.codebook import day_number, load_codebook
from capmatch.matching.core.explain import CEFR, EPOCH
from capmatch.matching.core.policy import RunPolicy
from capmatch.matching.core.problem import Candidates, NeedArrays, OfferArrays
from capmatch.matching.core.rules import RULES, broken_rules
from capmatch.matching.core.scoring import score_candidates, stored_breakdown
from capmatch.matching.models import Policy
from capmatch.matching.pipeline import map_excluded, scoring_policy
from capmatch.matching.snapshot import load_needs, load_offers
from capmatch.needs.models import NeedEligibleGrouping
from capmatch.organizations.models import Organization


@dataclass(frozen=True)
class PairCheck:
    broken: tuple[str, ...]  # hard rules the pair breaks, in the order runs apply them
    facts: dict[str, str]  # per broken rule, what the rule wanted ("English at C1", a date)
    score: float
    breakdown: dict[str, float]


def default_policy(session: Session) -> RunPolicy:
    stored = session.scalar(sa.select(Policy).where(Policy.is_default))
    if stored is None:
        return RunPolicy()
    return RunPolicy.from_dict({"weights": stored.weights, "constraints": stored.constraints})


def check_pair(session: Session, *, need_id: int, offer_id: int, today: date | None = None) -> PairCheck | None:
    """The rules and score of the pair; None when the need is not open or the offer not available,
    which the caller reports in its own words."""
    book = load_codebook(session)
    needs, _kept = load_needs(session, book, scope={"need_ids": [need_id]}, keep_full=True)
    offers = load_offers(session, book, offer_ids=[offer_id])
    if len(needs) != 1 or len(offers) != 1:
        return None
    needs = map_excluded(needs, offers)
    day = day_number(today or date.today())
    broken = broken_rules(needs, offers, 0, 0, today=day)
    # A pair scores as a candidate would: slots do not change a score, so none is needed here.
    pair = Candidates(np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros((1, len(RULES)), np.int64))
    scores = score_candidates(needs, offers, pair, scoring_policy(default_policy(session)))
    breakdown = stored_breakdown(scores.components[0], gender_target=float(needs.gender_target[0]))
    grouping = _either(session.scalars(
        sa.select(Organization.name).join(NeedEligibleGrouping, NeedEligibleGrouping.organization_id == Organization.id)
        .where(NeedEligibleGrouping.need_id == need_id).order_by(Organization.name)))
    return PairCheck(broken, _facts(needs, offers, broken, day, book.names, grouping),
                     round(float(scores.total[0]), 4), breakdown)


def _facts(needs: NeedArrays, offers: OfferArrays, broken: tuple[str, ...], today: int, names,
           grouping: str) -> dict[str, str]:
    """The particulars a person needs to see why each rule fails for this pair."""
    end = int(needs.start_by[0]) + int(needs.duration_days[0])
    ready = max(int(offers.available_from[0]), today) + int(offers.lead_time_days[0])
    ptr, lang, level = needs.languages
    wanted = ", ".join(_("{language} at {level}", language=names["languages"].get(int(lang[k]), lang[k]),
                         level=CEFR[int(level[k])]) for k in range(ptr[0], ptr[1]))
    facts = {
        "area": names["areas"].get(int(needs.area[0]), ""),
        "language": wanted,
        "arrival": _("ready {ready}, needed by {needed}", ready=_day(ready), needed=_day(int(needs.start_by[0]))),
        "window": _("available until {until}, needed until {needed}", until=_day(int(offers.available_until[0])),
                    needed=_day(end)),
        "duration": _("{asked} months asked, at most {offered} offered",
                      asked=number(int(needs.duration_days[0]) // 30),
                      offered=number(int(offers.max_duration_days[0]) // 30)),
        "credentials": _("valid until {until}, needed until {needed}", until=_day(int(offers.credentials_until[0])),
                         needed=_day(end)),
        "eligibility": grouping,
        "duty_national": names["countries"].get(int(needs.duty_country[0]), ""),
    }
    return {rule: facts[rule] for rule in broken if facts.get(rule)}


OPEN_ENDED = day_number(date(4000, 1, 1))  # the loaders read a missing date as 5000-01-01


def _day(day: int) -> str:
    return _("open-ended") if day >= OPEN_ENDED else day_words(EPOCH + timedelta(days=day))


def _either(names) -> str:
    """"A or B or C": the groupings whose members may supply the need."""
    names = list(names)
    return reduce(lambda first, second: _("{first} or {second}", first=first, second=second), names) if names else ""
