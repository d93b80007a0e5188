"""Helpers shared by the API tests: named organizations and users on top of tests/factories.py."""

from __future__ import annotations

from tests import factories


def make_org(session, name, *, kind="member_state_agency", country="KEN", request=False, provide=True, acronym=None):
    return factories.make_organization(
        session, name=name, kind=kind, country_iso3=country, may_request=request, may_provide=provide,
        acronym=acronym,
    )


def make_user(session, role, org=None):
    return factories.make_user(session, role=role, organization_id=org.id if org else None)


def error_fields(response) -> list[str]:
    return [f["field"] for f in response.json()["error"].get("fields", [])]
