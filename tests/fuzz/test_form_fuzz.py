"""Every HTML form, fed the inputs a hostile or careless person sends: NUL bytes, huge and unicode text,
negative and huge numbers, reversed or impossible dates, choices the form does not offer, and a
CSRF token that is right, missing or wrong.

Each form is read from its page as a browser would (its fields and their current values), then
posted with some fields replaced. The app must never answer 5xx, and an answer that is not a
success (a 4xx: a re-rendered form, a refused token) must leave every table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capmatch.notifications.service import notify
from capmatch.seed.demo import load_policies
from tests import factories
from tests.fuzz.tally import TALLY
from tests.web.html import parse

EXAMPLES_PER_FORM = 40  # 26 forms: about 1,000 posts, half a minute

# The tables a form can write; a refused form must leave each exactly as it was.
WATCHED = ("users", "organizations", "needs", "need_languages", "offers", "offer_languages", "offer_areas",
           "proposals", "match_runs", "areas", "notifications", "api_tokens", "policies")


@dataclass(frozen=True)
class Form:
    page: str  # where the form is shown ({need}, {offer}, {proposal}, {user}, {org}: the world's records)
    action: str  # where it posts
    role: str | None  # who signs in to use it (None: nobody)


FORMS = [
    Form("/login", "/login", None),
    Form("/my/needs/new", "/my/needs/new", "requester"),
    Form("/my/needs/{need}/edit", "/my/needs/{need}/edit", "requester"),
    Form("/my/needs", "/my/needs/{need}/duplicate", "requester"),
    Form("/my/needs/{need}/edit", "/my/needs/{need}/close", "requester"),
    Form("/my/needs/{need}/edit", "/my/needs/{need}/cancel", "requester"),
    Form("/my/proposals", "/my/proposals/{proposal}/decline", "requester"),
    Form("/my/proposals", "/my/proposals/{proposal}/accept", "requester"),
    Form("/roster/new", "/roster/new", "provider"),
    Form("/roster/{offer}/edit", "/roster/{offer}/edit", "provider"),
    Form("/roster/{offer}/edit", "/roster/{offer}/withdraw", "provider"),
    Form("/roster/import", "/roster/import", "provider"),
    Form("/provider/proposals", "/provider/proposals/{proposal}", "provider"),
    Form("/notifications", "/notifications/read", "provider"),
    Form("/officer/runs/new", "/officer/runs/new", "officer"),
    Form("/officer/proposals", "/officer/proposals", "officer"),
    Form("/officer/match", "/officer/match", "officer"),
    Form("/officer/policies/new", "/officer/policies/new", "officer"),
    Form("/officer/policies/{policy}/edit", "/officer/policies/{policy}/edit", "officer"),
    Form("/officer/policies/{policy}/delete", "/officer/policies/{policy}/delete", "officer"),
    Form("/admin/users/new", "/admin/users/new", "admin"),
    Form("/admin/users", "/admin/users/{user}/deactivate", "admin"),
    Form("/admin/organizations/new", "/admin/organizations/new", "admin"),
    Form("/admin/organizations/{org}/edit", "/admin/organizations/{org}/edit", "admin"),
    Form("/admin/taxonomies/areas/corrections/edit", "/admin/taxonomies/areas/corrections/edit", "admin"),
    Form("/my/needs", "/logout", "requester"),
]

HOSTILE = st.one_of(
    st.just("a\x00b"),
    st.just("x" * 100_000),
    st.text(max_size=50),
    st.sampled_from(["-1", "-2147483649", "0", "99999999999999999999", "1e309", "NaN", "3.5"]),
    st.sampled_from(["2099-12-31", "1900-01-01", "2024-02-30", "0000-00-00", "31/12/2024", "yesterday"]),
    st.sampled_from(["not-a-choice", "ZZZ", "", " ", "<script>alert(1)</script>", "' OR 1=1 --"]),
)


@pytest.fixture
def world(session):
    requester_org = factories.make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True,
                                                may_provide=False)
    provider_org = factories.make_organization(session)
    users = {
        "requester": factories.make_user(session, role="requester", organization_id=requester_org.id),
        "provider": factories.make_user(session, role="provider", organization_id=provider_org.id),
        "officer": factories.make_user(session, role="officer"),
        "admin": factories.make_user(session, role="admin"),
    }
    need = factories.make_need(session, requester_org_id=requester_org.id)
    offer = factories.make_offer(session, provider_org_id=provider_org.id, areas=["corrections"])
    proposal = factories.put_proposal(session, need, offer, status="approved")
    victim = factories.make_user(session, role="officer")
    notify(session, user_ids=[users["provider"].id], subject="A proposal for your expert")
    ids = {"need": need.id, "offer": offer.id, "proposal": proposal.id, "user": victim.id, "org": provider_org.id}
    load_policies(session)
    ids["policy"] = session.scalar(sa.text("SELECT id FROM policies WHERE name = 'south-south-first'"))
    session.commit()
    return users, ids


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    """The named fields of the form that posts to `action`, with the values a browser would send and offer."""
    doc = parse(html)
    forms = [f for f in doc.find_all("form") if f.get("method", "get").lower() == "post"
             and f.get("action", "").split("?")[0] in (action, "")]
    fields: dict[str, list[str]] = {}
    for form in forms[:1]:
        for el in form.iter():
            name = el.get("name")
            if not name or el.tag not in ("input", "select", "textarea", "button"):
                continue
            if el.tag == "select":
                fields[name] = [o.get("value", o.text) for o in el.find_all("option")] or [""]
            elif el.tag == "textarea":
                fields[name] = [el.text]
            else:
                fields[name] = [el.get("value", "on" if el.get("type") == "checkbox" else "")]
    return fields


def snapshot(session) -> dict[str, str]:
    session.expire_all()
    return {
        table: session.execute(sa.text(f"SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
                                       f"FROM {table} t")).scalar_one()
        for table in WATCHED
    }


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.action)
@settings(max_examples=EXAMPLES_PER_FORM, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_form_fed_hostile_input_answers_without_a_5xx_and_writes_nothing_when_it_refuses(
    form, data, client, session, login, world
):
    users, ids = world
    if not hasattr(client, "fuzz_fields"):
        # Once per form: signed in, the form read from its page. Every example then draws from the same
        # fields (hypothesis needs that), whatever an earlier example changed.
        if form.role:
            login(users[form.role])
        page = client.get(form.page.format(**ids))
        assert page.status_code == 200, (form.page, page.status_code)
        client.fuzz_fields = form_fields(page.text, form.action.format(**ids))
        assert client.fuzz_fields, f"no form posting to {form.action} on {form.page}"
    fields = dict(client.fuzz_fields)
    token = fields.pop("csrf_token", [""])[0]
    body = {name: data.draw(st.sampled_from(values), label=name) for name, values in fields.items()}
    for name in data.draw(st.lists(st.sampled_from(sorted(fields) or ["reason"]), max_size=4, unique=True),
                          label="hostile fields"):
        body[name] = data.draw(HOSTILE, label=name)
    dates = sorted(name for name in body if "date" in name or name.endswith(("_from", "_by", "_until")))
    if len(dates) >= 2 and data.draw(st.booleans(), label="reversed dates"):
        body[dates[0]], body[dates[-1]] = "2099-12-31", "2000-01-01"
    csrf = data.draw(st.sampled_from(["right", "right", "missing", "wrong"]), label="csrf")
    if csrf == "right":
        body["csrf_token"] = token
    elif csrf == "wrong":
        body["csrf_token"] = token[::-1] + "x"

    before = snapshot(session)
    files = None
    if "file" in body:
        files = {"file": ("roster.csv", str(body.pop("file")).encode("utf-8", "surrogatepass"), "text/csv")}
    TALLY["form posts"] += 1
    response = client.post(form.action.format(**ids), data=body, files=files, follow_redirects=False)
    TALLY[f"form answers {response.status_code // 100}xx"] += 1
    if response.status_code >= 500:
        TALLY["form 5xx"] += 1
    assert response.status_code < 500, (form.action, body, response.text[:500])
    if csrf != "right":
        assert response.status_code == 403, (form.action, csrf, response.status_code)
    if response.status_code >= 400:
        after = snapshot(session)
        changed = [table for table in WATCHED if before[table] != after[table]]
        if changed:
            TALLY["form partial writes"] += 1
        assert not changed, (form.action, body, response.status_code, changed)
