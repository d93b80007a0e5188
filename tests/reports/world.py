"""A small marketplace whose every report figure is counted by hand in tests/reports/test_report_figures.py.

Needs (published on the date of their audit event):
  N1 M1 corrections SSD 2 positions, target 0.5, published 2026-01-10
  N2 M1 police      CAF 1 position,  target 0.3, published 2026-02-01
  N3 M2 corrections HTI 1 position,  no target,  published 2026-03-01  (M2 is Norwegian)
  N6 M3 corrections MLI 1 position,  no target,  published 2025-05-01  (M3 has no country), closed
  and a draft and a cancelled need, which no report counts.
Proposals (offer, provider, expert):
  A N1 O1 P1 Kenyan woman    deployed   created 01-11, approved 01-12, accepted 01-13, confirmed 01-14, deployed 01-16
  B N1 O2 P2 Norwegian man   agreed     created 01-11, approved 01-12, confirmed 01-12 12:00, accepted 01-15
  C N2 O3 P3 Ghanaian woman  expired    created 02-05, approved 02-06, expired 02-13
  E N2 O4 P1 Kenyan man      superseded created 02-03
  D N3 O4 P1 Kenyan man      approved   created 03-06, approved 03-09
  F N6 O5 P2 Norwegian man   completed  created 2025-05-02, approved 05-03, accepted 05-03 12:00, confirmed 05-04,
                                        deployed 05-05
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from capmatch.audit.models import AuditEvent
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_organization


def at(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class ReportWorld:
    m1: int
    m2: int
    m3: int
    p1: int
    p2: int
    needs: dict


def _event(session, entity_type, entity_id, action, when, from_state=None, to_state=None):
    session.add(AuditEvent(entity_type=entity_type, entity_id=entity_id, action=action, from_state=from_state,
                           to_state=to_state, occurred_at=when, data={}))


def _need(session, requester, published: str, **values):
    need = make_need(session, requester_org_id=requester, **values)
    _event(session, "need", need.id, "create", at(published), to_state="open")
    return need


def _proposal(session, need, offer, status, created: str, steps):
    p = Proposal(need_id=need.id, offer_id=offer.id, score=0.5, breakdown={}, status=status, created_at=at(created))
    session.add(p)
    session.flush()
    for action, when, before, after in steps:
        _event(session, "proposal", p.id, action, when, before, after)
    return p


def build_report_world(session) -> ReportWorld:
    m1 = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False)
    m2 = make_organization(session, kind="un_entity", country_iso3="NOR", may_request=True, may_provide=False)
    m3 = make_organization(session, kind="regional_organization", country_iso3=None, may_request=True,
                           may_provide=False)
    p1 = make_organization(session, country_iso3="KEN")
    p2 = make_organization(session, country_iso3="NOR")
    p3 = make_organization(session, country_iso3="GHA")
    n1 = _need(session, m1.id, "2026-01-10", positions=2, gender_target=0.5, status="filled")
    n2 = _need(session, m1.id, "2026-02-01", area_code="police", duty_country_iso3="CAF", gender_target=0.3)
    n3 = _need(session, m2.id, "2026-03-01", duty_country_iso3="HTI", status="filled")
    n6 = _need(session, m3.id, "2025-05-01", duty_country_iso3="MLI", status="closed")
    make_need(session, requester_org_id=m1.id, status="draft")
    _need(session, m1.id, "2026-01-02", status="cancelled")
    o1 = make_offer(session, provider_org_id=p1.id, nationality_iso3="KEN", gender="female")
    o2 = make_offer(session, provider_org_id=p2.id, nationality_iso3="NOR", gender="male")
    o3 = make_offer(session, provider_org_id=p3.id, nationality_iso3="GHA", gender="female")
    o4 = make_offer(session, provider_org_id=p1.id, nationality_iso3="KEN", gender="male")
    o5 = make_offer(session, provider_org_id=p2.id, nationality_iso3="NOR", gender="male")
    _proposal(session, n1, o1, "deployed", "2026-01-11", [
        ("approve", at("2026-01-12"), "proposed", "approved"), ("accept", at("2026-01-13"), "approved", "accepted"),
        ("confirm", at("2026-01-14"), "accepted", "agreed"), ("deploy", at("2026-01-16"), "agreed", "deployed")])
    _proposal(session, n1, o2, "agreed", "2026-01-11", [
        ("approve", at("2026-01-12"), "proposed", "approved"),
        ("confirm", at("2026-01-12", 12), "approved", "confirmed"), ("accept", at("2026-01-15"), "confirmed", "agreed")])
    _proposal(session, n2, o3, "expired", "2026-02-05", [
        ("approve", at("2026-02-06"), "proposed", "approved"), ("expire", at("2026-02-13"), "approved", "expired")])
    _proposal(session, n2, o4, "superseded", "2026-02-03", [])
    _proposal(session, n3, o4, "approved", "2026-03-06", [("approve", at("2026-03-09"), "proposed", "approved")])
    _proposal(session, n6, o5, "completed", "2025-05-02", [
        ("approve", at("2025-05-03"), "proposed", "approved"), ("accept", at("2025-05-03", 12), "approved", "accepted"),
        ("confirm", at("2025-05-04"), "accepted", "agreed"), ("deploy", at("2025-05-05"), "agreed", "deployed")])
    session.flush()
    return ReportWorld(m1.id, m2.id, m3.id, p1.id, p2.id, {"n1": n1.id, "n2": n2.id, "n3": n3.id, "n6": n6.id})
