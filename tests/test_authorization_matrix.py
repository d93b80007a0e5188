"""Every role against every page and every API operation: who gets in, who is turned away, and what leaks.

The expectation is a table by path (below), not a reading of the code: a new route that no rule
covers fails `test_every_route_has_a_rule`, so nobody adds a page without saying who may use it.
Each role walks every route (reads first, then writes, signing out last) and every answer must be
  - for a role the rule allows: 2xx/3xx for a read, anything but 401/403/404 or a 5xx for a write
    (an empty form is refused with 400 or 409, which is the form's business, not the door's);
  - for a role it does not: 401/403/404, or a redirect to the login page for an anonymous visitor;
  - on a page, exactly: 200 for a read the role may make; refused, 403 for anyone signed in and, for a
    visitor, 303 to /login (a read to /login?next=<the page>), so the areas need no access tests of their own;
  - never a 500, and never another organization's private data: the experts' names and e-mails of
    another provider's offers, another organization's draft needs.
Pages are used with the session cookie a person gets from the login form, the API with bearer tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from capmatch.auth.actor import Actor
from capmatch.auth.service import issue_token, new_token
from tests.factories import TEST_PASSWORD, make_need, make_offer, make_organization, make_user
from tests.web.html import csrf_of, parse

ROLES = ("anonymous", "requester", "provider", "other_provider", "officer", "admin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
SECRETARIAT = frozenset({"officer", "admin"})
ROSTER_USERS = frozenset({"provider", "other_provider"}) | SECRETARIAT
FOCAL_POINT_AND_ADMIN = frozenset({"provider", "admin"})
PUBLIC_PAGES = r"^/(|healthz|login|logout|openapi\.json|docs|docs/oauth2-redirect|needs|offers)$"
ANY = r"[A-Z]+"

# (method regex, path regex, roles allowed). First match wins. Ids in paths name the world's records:
# the need and proposal belong to the requester's mission and the provider's agency; the
# "other provider" is a rival agency with an offer of its own.
PAGE_RULES: list[tuple[str, str, frozenset[str]]] = [
    (ANY, PUBLIC_PAGES, EVERYONE),
    ("GET", r"^/(needs|offers)/\{\w+\}$", EVERYONE),
    (ANY, r"^/notifications", SIGNED_IN),
    # The language switcher: a visitor's link (a cookie), a signed-in person's form (their preference).
    ("GET", r"^/language/\{language\}$", EVERYONE),
    ("POST", r"^/language$", SIGNED_IN),
    # A person's own profile and API tokens; the world's token is the provider's (the admin may revoke any).
    ("POST", r"^/account/tokens/\{token_id\}/revoke$", frozenset({"provider", "admin"})),
    (ANY, r"^/account(/tokens.*)?$", SIGNED_IN),
    # Closing or cancelling a need from its pages: its own requesters (the secretariat uses the API).
    # Another organization's requester is turned away too: test_another_organizations_requester_cannot_end_a_need.
    ("POST", r"^/my/needs/\{need_id\}/(close|cancel)$", frozenset({"requester"})),
    (ANY, r"^/my/", frozenset({"requester"})),
    # Another provider's expert: only the owner and the secretariat may open, edit or withdraw it.
    (ANY, r"^/roster/\{offer_id\}/", frozenset({"provider"}) | SECRETARIAT),
    (ANY, r"^/roster", ROSTER_USERS),
    ("GET", r"^/provider/proposals$", ROSTER_USERS),
    # Confirming the release of an expert is the provider's consent alone.
    ("POST", r"^/provider/proposals/\{proposal_id\}$", frozenset({"provider"})),
    (ANY, r"^/officer", SECRETARIAT),
    (ANY, r"^/admin", frozenset({"admin"})),
    # A proposal's own page and its steps: its officers and the two sides; to anyone else it does not exist.
    (ANY, r"^/proposals/\{proposal_id\}", frozenset({"requester", "provider"}) | SECRETARIAT),
    # Accounts: the one-time links work for whoever holds them; one's own password and address.
    (ANY, r"^/(join|password/forgot|password/reset/\{reset_token\}|invitations/\{invitation_token\}"
          r"|account/email/confirm/\{email_token\})$", EVERYONE),
    (ANY, r"^/account/(password|email)$", SIGNED_IN),
    # An organization's people: its focal points (the world's provider is the agency's) and the
    # administrator; the rival agency's focal point is turned away.
    (ANY, r"^/organizations/\{organization_id\}/", FOCAL_POINT_AND_ADMIN),
    ("GET", r"^/reports/charts\.css$", EVERYONE),  # the charts' stylesheet: no data in it
    (ANY, r"^/reports", SECRETARIAT),
]

OWNERS_OF_THE_PROPOSAL = frozenset({"requester", "provider"}) | SECRETARIAT
API_RULES: list[tuple[str, str, frozenset[str]]] = [
    ("GET", r"^/api/v1/(clusters|areas|countries|languages|organizations|needs|offers)(/\{\w+\})?$", EVERYONE),
    ("GET", r"^/api/v1/skills$", EVERYONE),
    ("POST", r"^/api/v1/organizations$", frozenset({"admin"})),
    # An organization's own users may change its description; the admin anything.
    ("PATCH", r"^/api/v1/organizations/\{organization_id\}$", frozenset({"provider", "admin"})),
    ("POST", r"^/api/v1/needs/\{need_id\}/(close|cancel)$", frozenset({"requester"}) | SECRETARIAT),
    (ANY, r"^/api/v1/needs", frozenset({"requester"}) | SECRETARIAT),
    (ANY, r"^/api/v1/offers", frozenset({"provider"}) | SECRETARIAT),
    (ANY, r"^/api/v1/match-runs", SECRETARIAT),
    (ANY, r"^/api/v1/policies", SECRETARIAT),
    ("GET", r"^/api/v1/proposals$", SIGNED_IN),  # each sees the proposals of their own side
    ("GET", r"^/api/v1/proposals/\{proposal_id\}$", OWNERS_OF_THE_PROPOSAL),
    ("POST", r"^/api/v1/proposals(/bulk)?$", SECRETARIAT),
    ("POST", r"/(approve|reject)$", SECRETARIAT),
    ("POST", r"/accept$", frozenset({"requester"})),
    ("POST", r"/confirm$", frozenset({"provider"})),
    ("POST", r"/decline$", frozenset({"requester", "provider"})),
    ("POST", r"/deploy$", frozenset({"provider"}) | SECRETARIAT),
    ("POST", r"/complete$", frozenset({"requester"}) | SECRETARIAT),
    ("POST", r"/withdraw$", frozenset({"requester", "provider"}) | SECRETARIAT),
    ("POST", r"^/api/v1/tokens/\{token_id\}/revoke$", frozenset({"provider", "admin"})),
    (ANY, r"^/api/v1/tokens$", SIGNED_IN),
    (ANY, r"^/api/v1/organizations/\{organization_id\}/(people|invitations)", FOCAL_POINT_AND_ADMIN),
    ("GET", r"^/api/v1/reports", SECRETARIAT),
    # The walk exports offers (anonymized unless the reader may see more); tests/exports has who gets
    # which dataset: proposals and deployments their parties, gaps the secretariat.
    ("GET", r"^/api/v1/exports/\{dataset\}\.\{format\}$", EVERYONE),
]


def all_routes(app) -> list[tuple[str, str]]:
    """(METHOD, path) of every route, pages and API, however the routers are nested.

    This FastAPI keeps included routers as _IncludedRouter entries in app.routes; their
    effective_route_contexts() give the routes with the full path.
    """
    found: set[tuple[str, str]] = set()

    def add(methods, path):
        found.update((m, path) for m in methods if m != "HEAD")

    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                add(ctx.methods or (), ctx.path)
        elif getattr(route, "methods", None):
            add(route.methods, route.path)
    return sorted(found)


def api_operations(app) -> set[tuple[str, str]]:
    return {(m.upper(), p) for p, ops in app.openapi()["paths"].items() if p.startswith("/api/v1") for m in ops}


def allowed_roles(method: str, path: str) -> frozenset[str] | None:
    rules = API_RULES if path.startswith("/api/") else PAGE_RULES
    for method_re, path_re, roles in rules:
        if re.fullmatch(method_re, method) and re.search(path_re, path):
            return roles
    return None


# --- the world ---------------------------------------------------------------------------------

SECRET_EXPERT = ("Wanjiru Kamau-Secret", "wanjiru.secret@agency.example")
RIVAL_EXPERT = ("Ingrid Halvorsen-Secret", "ingrid.secret@rival.example")
OWN_DRAFT = "Own draft: prison census adviser"
RIVAL_DRAFT = "Rival draft: covert parole reform"
APPLICANT_SECRET = "Applicant secret: forty prison governors on standby"


@dataclass
class World:
    users: dict
    ids: dict
    agency_id: int
    rival_agency_id: int
    mission_id: int
    hidden_from: dict  # role -> secrets that role must never receive


def build_world(session) -> World:
    from capmatch.matching import service as matching
    from capmatch.matching.schemas import RunCreate
    from capmatch.proposals.models import Proposal
    from capmatch.seed.demo import load_policies

    load_policies(session)
    mission = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False)
    rival_mission = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True,
                                      may_provide=False)
    agency = make_organization(session, country_iso3="KEN")
    rival_agency = make_organization(session, country_iso3="NOR")
    users = {
        "requester": make_user(session, role="requester", organization_id=mission.id),
        "provider": make_user(session, role="provider", organization_id=agency.id, is_focal_point=True),
        "other_provider": make_user(session, role="provider", organization_id=rival_agency.id, is_focal_point=True),
        "officer": make_user(session, role="officer"),
        "admin": make_user(session, role="admin"),
    }
    spare = make_user(session, role="requester", organization_id=mission.id)
    need = make_need(session, requester_org_id=mission.id)
    make_need(session, requester_org_id=mission.id, status="draft", title=OWN_DRAFT)
    make_need(session, requester_org_id=rival_mission.id, status="draft", title=RIVAL_DRAFT)
    offer = make_offer(session, provider_org_id=agency.id, expert_name=SECRET_EXPERT[0],
                       expert_email=SECRET_EXPERT[1])
    make_offer(session, provider_org_id=rival_agency.id, expert_name=RIVAL_EXPERT[0], expert_email=RIVAL_EXPERT[1])
    proposal = Proposal(need_id=need.id, offer_id=offer.id, score=0.5, breakdown={"skills": 0.5}, status="proposed")
    session.add(proposal)
    world_token, _secret = new_token(session, user_id=users["provider"].id, name="Matrix token")
    officer = users["officer"]
    run = matching.create_run(session, actor=Actor(user_id=officer.id, role="officer", organization_id=None,
                                                   email=officer.email), request=RunCreate())
    session.flush()
    links = account_links(session, agency_id=agency.id, admin=users["admin"])
    ids = {**links, "need_id": need.id, "offer_id": offer.id, "proposal_id": proposal.id, "organization_id": agency.id,
           "user_id": spare.id, "run_id": run.id, "code": "corrections", "action": "accept",
           "report": "fill-rate", "skill": "prison_management", "language": "fr",
           "dataset": "offers", "format": "csv"}
    ids["token_id"] = world_token.id
    # The default policy: deleting it is refused (409), so the writes after the delete still find it.
    default_policy = session.scalar(sa.text("SELECT id FROM policies WHERE is_default"))
    ids.update(policy_id=default_policy, name="default")
    hidden = {
        "anonymous": (*SECRET_EXPERT, *RIVAL_EXPERT, OWN_DRAFT, RIVAL_DRAFT, APPLICANT_SECRET),
        "requester": (*SECRET_EXPERT, *RIVAL_EXPERT, RIVAL_DRAFT, APPLICANT_SECRET),
        "provider": (*RIVAL_EXPERT, OWN_DRAFT, RIVAL_DRAFT, APPLICANT_SECRET),
        "other_provider": (*SECRET_EXPERT, OWN_DRAFT, RIVAL_DRAFT, APPLICANT_SECRET),
        "officer": (APPLICANT_SECRET,),
        "admin": (),
    }
    session.commit()
    return World(users, ids, agency.id, rival_agency.id, mission.id, hidden)


def account_links(session, *, agency_id: int, admin) -> dict:
    """A colleague of the agency's focal point and an open invitation to it, for the people pages to act on,
    and live links (an invitation's, a reset's, an e-mail change's) nothing else in the walk touches."""
    from capmatch.accounts import invitations, recovery
    from capmatch.accounts.links import new_link
    from capmatch.accounts.models import AccountLink

    from capmatch.applications import service as applications
    from capmatch.applications.schemas import ApplicationCreate

    application = applications.submit(session, data=ApplicationCreate(
        name="Applicant agency (matrix)", kind="ngo", country="KEN", may_provide=True, focal_name="Ann Applicant",
        focal_email="ann@applicant.example", statement=APPLICANT_SECRET))
    member = make_user(session, role="provider", organization_id=agency_id)
    as_admin = Actor(user_id=admin.id, role="admin", organization_id=None, email=admin.email)
    invitation = invitations.invite(session, actor=as_admin, email="invited@agency.example", full_name="Invited",
                                    role="provider", organization_id=agency_id)
    linked = invitations.invite(session, actor=as_admin, email="linked@agency.example", full_name="Linked",
                                role="provider", organization_id=agency_id)
    holder = make_user(session, role="provider", organization_id=agency_id)
    tokens = {}
    for purpose in ("invitation", "password_reset", "email_change"):
        link = new_link(purpose)
        tokens[purpose] = link.token
        if purpose == "invitation":
            linked.token_digest = link.digest
        else:
            session.add(AccountLink(purpose=purpose, user_id=holder.id, token_digest=link.digest,
                                    new_email="new@agency.example" if purpose == "email_change" else None,
                                    expires_at=recovery._expiry()))
    session.flush()
    return {"application_id": application.id, "member_id": member.id, "invitation_id": invitation.id, "invitation_token": tokens["invitation"],
            "reset_token": tokens["password_reset"], "email_token": tokens["email_change"]}


def api_body(method: str, path: str, world: World) -> dict | None:
    """A valid body for each write, so that a refusal can only be the door's, never the body's."""
    soon = (date.today() + timedelta(days=30)).isoformat()
    if method == "POST" and path == "/api/v1/organizations":
        return {"name": "Matrix-registered agency", "kind": "ngo", "country": "KEN", "may_provide": True}
    if method == "POST" and path.endswith("/invitations"):
        return {"email": "matrix-invited@agency.example", "role": "provider"}
    if method == "PATCH" and path.endswith("/people/{member_id}"):
        return {"role": "provider", "is_focal_point": True}
    if method == "PATCH" and path.startswith("/api/v1/organizations"):
        return {"description": "Changed by the authorization matrix."}
    if method == "POST" and path == "/api/v1/needs":
        return {"requester_org_id": world.mission_id, "duty_country": "SSD", "title": "Matrix need",
                "area": "corrections", "start_by": soon, "duration_months": 6, "modality": "deployed_expert",
                "funding": "requester_paid"}
    if method == "POST" and path == "/api/v1/offers":
        return {"provider_org_id": world.agency_id, "kind": "training", "title": "Matrix offer",
                "areas": ["corrections"], "available_from": date.today().isoformat(), "cost_bearer": "provider"}
    if method == "PATCH":
        return {"title": "Changed by the authorization matrix"}
    if path == "/api/v1/match-runs":
        return {}
    if path == "/api/v1/policies":
        return {"name": "matrix-policy", "weights": {"skills": 2}}
    if path == "/api/v1/policies/{name}":
        return {"name": "default", "is_default": True}
    if path == "/api/v1/proposals":
        return {"need_id": world.ids["need_id"], "offer_id": world.ids["offer_id"], "reason": "matrix"}
    if path.endswith("/bulk"):
        return {"ids": [world.ids["proposal_id"]], "action": "approve"}
    if method == "POST" and path == "/api/v1/tokens":
        return {"name": "Matrix-made token", "expires_in_days": 30}
    if path.endswith("/complete"):
        return {"reason": "matrix", "appraisal": 4}
    return {"reason": "matrix"}


# --- the walk ----------------------------------------------------------------------------------


@pytest.fixture
def world(session):
    return build_world(session)


def fill(path: str, world: World) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(world.ids[m.group(1)]), path)


def with_org(path: str, role: str, world: World) -> str:
    """The secretariat opens a provider's roster and inbox with ?org=; a provider needs none."""
    if role in SECRETARIAT and path.startswith(("/roster", "/provider/")):
        return f"{path}?org={world.agency_id}"
    return path


def sign_in(client, role: str, world: World) -> str:
    """Sign the client in as the role through the login form; the session's CSRF token."""
    login_page = client.get("/login")
    token = csrf_of(parse(login_page.text))
    if role == "anonymous":
        return token
    user = world.users[role]
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(parse(client.get("/").text))  # the session's fresh token, from the sign-out form


def page_form(path: str, token: str) -> dict[str, str]:
    """The form a page posts: only the CSRF token, except where the answer itself is the request."""
    if path.startswith("/provider/proposals/"):
        return {"csrf_token": token, "action": "confirm"}
    return {"csrf_token": token}


def order(route: tuple[str, str]) -> tuple[int, str, str]:
    method, path = route
    # Reads first so writes cannot change what they see; signing out ends the walk.
    return (2 if path == "/logout" else 0 if method == "GET" else 1, path, method)


def seen_state(role: str, method: str, path: str, status: int) -> bool:
    """A party to the proposal asking for another side's step that nobody may take in this state hears 409.

    The workflow says so on purpose (proposals/workflow.resolve_action): the asker already sees the
    proposal and its state. When the step is possible, the wrong party gets 403: see
    test_a_party_cannot_take_the_other_sides_step.
    """
    return (status == 409 and method == "POST" and role in OWNERS_OF_THE_PROPOSAL
            and re.search(r"^/(api/v1/proposals/\{proposal_id\}/\w+|provider/proposals/\{proposal_id\})$", path)
            is not None)


def check(response, *, role: str, method: str, path: str, allowed: bool, world: World) -> str | None:
    """What is wrong with the answer, if anything."""
    status = response.status_code
    where = f"{role} {method} {path} -> {status}"
    if status >= 500:
        return f"{where}: a server error"
    body = response.text.lower()
    for secret in world.hidden_from[role]:
        if secret.lower() in body:
            return f"{where}: leaks {secret!r}"
    location = response.headers.get("location", "")
    to_login = 300 <= status < 400 and location.startswith("/login")
    if allowed:
        if method == "GET" and not (200 <= status < 400) or to_login:
            return f"{where}: refused ({location or response.text[:200]})"
        if status in (401, 403, 404):
            return f"{where}: refused ({response.text[:200]})"
    elif not (status in (401, 403, 404) or (role == "anonymous" and to_login) or seen_state(role, method, path, status)):
        return f"{where}: let in ({location or response.text[:200]})"
    if not path.startswith("/api/"):
        expected = page_answer(role, method, path, allowed, response)
        if expected is not None and (status, location) != expected and not seen_state(role, method, path, status):
            return f"{where}: expected {expected}, got {(status, location)}"
    return None


def page_answer(role: str, method: str, path: str, allowed: bool, response) -> tuple[int, str] | None:
    """The exact (status, Location) a page answers at its door, or None where the form decides.

    A page a role may read opens (200; a signed-in person asking for /login is sent home). Refused, a
    visitor is sent to sign in, a read coming back to the page asked for; anyone signed in hears 403.
    """
    if allowed:
        if method != "GET":
            return None
        if path == "/language/{language}":
            return (303, "/")  # the switcher's link goes back to the page it was on (none given: home)
        return (303, "/") if path == "/login" and role != "anonymous" else (200, "")
    if role != "anonymous":
        # A proposal's page answers as if there were none to anyone who is no party to it.
        return (404, "") if path.startswith("/proposals/") else (403, "")
    if method != "GET":
        return (303, "/login")
    url = response.request.url
    asked = url.path + (f"?{url.query.decode()}" if url.query else "")
    return (303, "/login?next=" + quote(asked, safe="/"))


def test_every_route_has_a_rule(app):
    routes = all_routes(app)
    assert {r for r in routes if r[1].startswith("/api/")} == api_operations(app)
    assert len(routes) >= 75, routes
    missing = [r for r in routes if allowed_roles(*r) is None]
    assert not missing, f"add these routes to the table: {missing}"


# Requests made on purpose to reach what a role must not see: filters and ids that name it.
PROBES = (
    "/roster?org={rival_agency}", "/roster/export.csv?org={rival_agency}", "/provider/proposals?org={rival_agency}",
    "/offers?q=Secret", "/needs?q=draft", "/needs?status=draft", "/api/v1/needs?status=draft",
    "/api/v1/needs?q=draft", "/api/v1/offers?q=Secret", "/api/v1/offers?provider={rival_agency}",
    "/api/v1/offers?provider={agency}", "/api/v1/proposals?status=proposed",
    "/api/v1/exports/offers.json?provider={rival_agency}&status=available&status=withdrawn",
    "/api/v1/exports/offers.hxl?q=Secret", "/api/v1/exports/needs.csv?status=draft", "/api/v1/exports/needs.json?q=draft",
    "/api/v1/exports/proposals.json", "/api/v1/exports/deployments.csv", "/api/v1/exports/gaps.json",
)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_allows_and_no_one_elses_data(app, session, world, role):
    from fastapi.testclient import TestClient

    problems: list[str] = []
    with TestClient(app, raise_server_exceptions=False) as client:
        token = sign_in(client, role, world)
        bearer = {}
        if role != "anonymous":
            bearer = {"Authorization": f"Bearer {issue_token(session, user_id=world.users[role].id)}"}
            session.commit()
        for method, path in sorted(all_routes(app), key=order):
            allowed = role in allowed_roles(method, path)
            url = with_org(fill(path, world), role, world)
            if path.startswith("/api/"):
                body = api_body(method, path, world) if method != "GET" else None
                response = client.request(method, url, json=body, headers=bearer)
            elif method == "GET":
                response = client.get(url, follow_redirects=False)
            else:
                response = client.request(method, url, data=page_form(path, token), follow_redirects=False)
            problem = check(response, role=role, method=method, path=path, allowed=allowed, world=world)
            if problem:
                problems.append(problem)
        # Signed out now: sign in again for the probes.
        token = sign_in(client, role, world)
        names = {"rival_agency": world.rival_agency_id, "agency": world.agency_id}
        for probe in PROBES:
            url = probe.format(**names)
            response = client.get(url, headers=bearer if url.startswith("/api/") else {}, follow_redirects=False)
            where = f"{role} GET {url} -> {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where}: a server error")
            problems += [f"{where}: leaks {s!r}" for s in world.hidden_from[role] if s.lower() in response.text.lower()]
    assert not problems, "\n".join(problems)


def test_a_denied_write_changes_nothing(app, session, world):
    """The rival provider's attempts on the owner's records leave every table as it was."""
    from fastapi.testclient import TestClient

    tables = ("needs", "offers", "proposals", "match_runs", "organizations", "users", "audit_events", "policies")
    count = sa.text("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables))
    snapshot = sa.text("SELECT md5(string_agg(o::text, ',' ORDER BY o.id)) FROM offers o")
    with TestClient(app, raise_server_exceptions=False) as client:
        token = sign_in(client, "other_provider", world)
        bearer = {"Authorization": f"Bearer {issue_token(session, user_id=world.users['other_provider'].id)}"}
        session.commit()
        before = (session.execute(count).one(), session.scalar(snapshot))
        for method, path in all_routes(app):
            if method == "GET" or path == "/logout" or "other_provider" in allowed_roles(method, path):
                continue
            url = with_org(fill(path, world), "other_provider", world)
            if path.startswith("/api/"):
                client.request(method, url, json=api_body(method, path, world), headers=bearer)
            else:
                client.request(method, url, data=page_form(path, token), follow_redirects=False)
    session.expire_all()
    assert (session.execute(count).one(), session.scalar(snapshot)) == before


@pytest.mark.parametrize(("state", "who", "action"), [
    ("approved", "requester", "confirm"), ("approved", "provider", "accept"), ("proposed", "requester", "approve"),
    ("proposed", "provider", "approve"), ("proposed", "requester", "reject"), ("agreed", "requester", "deploy"),
    ("approved", "other_provider", "confirm"), ("approved", "other_provider", "decline"),
])
def test_a_party_cannot_take_the_other_sides_step(client, session, world, state, who, action):
    from capmatch.proposals.models import Proposal

    proposal = session.get(Proposal, world.ids["proposal_id"])
    proposal.status = state
    session.commit()
    headers = {"Authorization": f"Bearer {issue_token(session, user_id=world.users[who].id)}"}
    response = client.post(f"/api/v1/proposals/{proposal.id}/{action}", json={"reason": "matrix"}, headers=headers)
    assert response.status_code == (404 if who == "other_provider" else 403), response.text
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == state


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/my/needs/{need_id}/close"), ("POST", "/my/needs/{need_id}/cancel"),
    ("POST", "/api/v1/needs/{need_id}/close"), ("POST", "/api/v1/needs/{need_id}/cancel"),
    ("PATCH", "/api/v1/needs/{need_id}"),
])
def test_another_organizations_requester_cannot_end_a_need(app, session, world, method, path):
    """The roles above share one mission; a requester of another one must not close or cancel its need."""
    from fastapi.testclient import TestClient

    from capmatch.needs.models import Need
    from capmatch.proposals.models import Proposal

    rival_mission = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True,
                                      may_provide=False)
    world.users["rival_requester"] = make_user(session, role="requester", organization_id=rival_mission.id)
    session.commit()
    with TestClient(app, raise_server_exceptions=False) as client:
        token = sign_in(client, "rival_requester", world)
        url = fill(path, world)
        if path.startswith("/api/"):
            bearer = {"Authorization": f"Bearer {issue_token(session, user_id=world.users['rival_requester'].id)}"}
            session.commit()
            response = client.request(method, url, json={"status": "closed"} if method == "PATCH" else {},
                                      headers=bearer)
        else:
            response = client.post(url, data={"csrf_token": token, "reason": "not ours"}, follow_redirects=False)
    assert response.status_code == (404 if path.startswith("/my/") else 403), response.text
    session.expire_all()
    assert session.get(Need, world.ids["need_id"]).status == "open"
    assert session.get(Proposal, world.ids["proposal_id"]).status == "proposed"


def test_a_focal_point_cannot_touch_another_organizations_people(client, session, world, bearer):
    """The rival agency's focal point: refused on the agency's people, and the agency's user is unknown in its own."""
    rival = bearer(world.users["other_provider"])
    member = world.ids["member_id"]
    session.commit()
    asked = [
        client.get(f"/api/v1/organizations/{world.agency_id}/people", headers=rival),
        client.patch(f"/api/v1/organizations/{world.agency_id}/people/{member}", json={"is_active": False},
                     headers=rival),
        client.post(f"/api/v1/organizations/{world.agency_id}/invitations",
                    json={"email": "mole@rival.example", "role": "provider"}, headers=rival),
        client.post(f"/api/v1/organizations/{world.agency_id}/invitations/{world.ids['invitation_id']}/revoke",
                    headers=rival),
    ]
    assert [r.status_code for r in asked] == [403, 403, 403, 403], [r.text for r in asked]
    # Through its own organization's address, another organization's user is as good as absent.
    sideways = client.patch(f"/api/v1/organizations/{world.rival_agency_id}/people/{member}",
                            json={"is_active": False}, headers=rival)
    assert sideways.status_code == 404, sideways.text
    sideways = client.post(f"/api/v1/organizations/{world.rival_agency_id}/invitations/"
                           f"{world.ids['invitation_id']}/revoke", headers=rival)
    assert sideways.status_code == 404, sideways.text
    from capmatch.accounts.models import Invitation
    from capmatch.auth.models import User

    session.expire_all()
    assert session.get(User, member).is_active
    assert session.get(Invitation, world.ids["invitation_id"]).revoked_at is None


def test_a_focal_point_grants_only_roles_of_their_organizations_kind(client, session, world, bearer):
    focal = bearer(world.users["provider"])  # the agency provides only: its people are providers
    member = world.ids["member_id"]
    session.commit()
    as_requester = client.patch(f"/api/v1/organizations/{world.agency_id}/people/{member}",
                                json={"role": "requester"}, headers=focal)
    assert as_requester.status_code == 422, as_requester.text
    assert as_requester.json()["error"]["fields"][0]["field"] == "role"
    invited = client.post(f"/api/v1/organizations/{world.agency_id}/invitations",
                          json={"email": "req@agency.example", "role": "requester"}, headers=focal)
    assert invited.status_code == 422 and invited.json()["error"]["fields"][0]["field"] == "role"
    # The secretariat's roles are not a member's to give at all.
    for role in ("officer", "admin"):
        response = client.post(f"/api/v1/organizations/{world.agency_id}/invitations",
                               json={"email": "boss@agency.example", "role": role}, headers=focal)
        assert response.status_code == 422, response.text
        response = client.patch(f"/api/v1/organizations/{world.agency_id}/people/{member}", json={"role": role},
                                headers=focal)
        assert response.status_code == 422, response.text
    from capmatch.auth.models import User

    session.expire_all()
    assert session.get(User, member).role == "provider"


def test_a_member_who_is_not_a_focal_point_cannot_manage_their_own_organization(client, session, world, bearer):
    from capmatch.auth.models import User

    colleague = session.get(User, world.ids["member_id"])
    headers = bearer(colleague)
    session.commit()
    response = client.get(f"/api/v1/organizations/{world.agency_id}/people", headers=headers)
    assert response.status_code == 403, response.text
