"""/officer/proposals stays light: 50 rows of the demo's needs and offers, with full score breakdowns,
send about half of the 131 KB the page once sent (each row's breakdown was ~1.3 KB of markup; it is
one line of bars now, the details on the proposal's own page). The organizations are named by their
acronyms, their full names in the hover titles: the rows' only other weight."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from capmatch.matching.core.policy import COMPONENTS
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.seed.demo import load_demo
from tests.factories import make_proposal
from tests.web.html import parse

# Bytes: half of 131 KB, and the ~2 KB of the 100 organizations' full names in their acronyms' titles
# (this data sent 135,624 bytes before the bars; about 65,500 with the titles).
BOUND = 67_500


def test_fifty_proposals_with_their_breakdowns_send_about_half_the_old_page(as_officer, session):
    load_demo(session)
    needs = session.scalars(sa.select(Need).order_by(Need.id)).all()
    offers = session.scalars(sa.select(Offer).order_by(Offer.id)).all()
    pairs = itertools.islice(((n, o) for o in offers for n in needs), 50)
    for k, (need, offer) in enumerate(pairs):
        parts = {name: round(((k + 3) * (i + 7) % 97) / 97, 4) for i, name in enumerate(COMPONENTS)}
        make_proposal(session, None, score=0.4 + k / 100, need=need, offer=offer, breakdown=parts)
    response = as_officer.get("/officer/proposals")
    rows = parse(response.text).find("table", class_="proposals").find("tbody").find_all("tr")
    size = len(response.content)
    assert len(rows) == 50 and all(r.find("svg", class_="spark") for r in rows)
    assert size < BOUND, f"/officer/proposals sent {size} bytes for 50 rows"
