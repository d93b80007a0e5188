"""An organization's people page: deactivating (never deleting) and changing roles, each in the audit trail."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.auth.models import User
from tests.factories import make_organization, make_user
from tests.web.html import csrf_of, parse


def test_a_focal_point_deactivates_and_changes_roles_within_the_organizations_kind(client, session, login):
    both = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=True)
    focal = make_user(session, role="requester", organization_id=both.id, is_focal_point=True)
    colleague = make_user(session, role="requester", organization_id=both.id)
    login(focal)
    page = client.get(f"/organizations/{both.id}/people")
    assert page.status_code == 200 and colleague.email in page.text
    token = csrf_of(parse(page.text))
    changed = client.post(f"/organizations/{both.id}/people/{colleague.id}",
                          data={"csrf_token": token, "role": "provider", "is_focal_point": "1"})
    assert changed.status_code == 200 and "The change is saved" in changed.text
    refused = client.post(f"/organizations/{both.id}/people/{colleague.id}", data={"csrf_token": token, "role": "admin"})
    assert "can only be a requester or a provider" in refused.text
    client.post(f"/organizations/{both.id}/people/{colleague.id}/deactivate", data={"csrf_token": token})
    session.expire_all()
    user = session.get(User, colleague.id)
    assert (user.role, user.is_focal_point, user.is_active) == ("provider", True, False)
    events = session.execute(sa.select(AuditEvent.action, AuditEvent.from_state, AuditEvent.to_state, AuditEvent.actor_id)
                             .where(AuditEvent.entity_id == colleague.id).order_by(AuditEvent.id)).all()
    assert [e[:3] for e in events] == [("role_change", "requester", "provider"), ("focal_point_named", None, None),
                                        ("deactivate", "active", "inactive")]
    assert {e.actor_id for e in events} == {focal.id}
    mine = client.post(f"/organizations/{both.id}/people/{focal.id}/deactivate", data={"csrf_token": token})
    assert "cannot deactivate your own account" in mine.text
