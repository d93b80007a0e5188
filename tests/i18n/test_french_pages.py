"""Every page each person opens, in French: no English interface text is left, the data aside.

The walk is the authorization matrix's (every GET page of the app, with the same world of records);
each person has chosen French on their account, a visitor asks for it with Accept-Language. Pages a
role may not open are skipped (their refusal is the matrix's test); what a page shows is checked
with tests.i18n.english.leftovers once the records' own words (names, titles, descriptions,
addresses typed by people) are set aside.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.i18n.english import leftovers
from tests.test_authorization_matrix import ROLES, all_routes, build_world, fill, sign_in, with_org
from tests.web.html import parse

# Pages that are not the interface's own words: the vendored API explorer (Swagger UI) and machine files.
NOT_OURS = ("/docs", "/docs/oauth2-redirect", "/openapi.json", "/healthz", "/reports/charts.css")

# The records' own words, as people typed them: set aside before looking for English.
DATA_COLUMNS = {
    "organizations": ("name", "acronym", "description"),
    "needs": ("title", "terms_of_reference"),
    "offers": ("title", "expert_name", "expert_email", "summary"),
    "users": ("full_name", "email"),
    "match_runs": ("note",),
    "policies": ("name", "description"),
    "applications": ("name", "focal_name", "focal_email", "statement"),
    "invitations": ("email", "full_name"),
    "api_tokens": ("name",),
    "notifications": ("subject", "body"),
    "account_links": ("new_email",),
}


def typed_words(session) -> list[str]:
    words: list[str] = []
    inspector = sa.inspect(session.connection())
    for table, columns in DATA_COLUMNS.items():
        if not inspector.has_table(table):
            continue
        present = {c["name"] for c in inspector.get_columns(table)}
        for column in columns:
            if column in present:
                words += [v for (v,) in session.execute(sa.text(f"SELECT {column} FROM {table}")) if v]
    # Paragraphs are matched one line at a time, as the page shows them.
    return [line.strip() for w in words for line in str(w).splitlines() if line.strip()]


def text_nodes(element) -> list[str]:
    """Each piece of text a reader sees, one per text node (a template's words or a record's value).

    Codes (<code>) read the same in every language, and text marked as in another language (an English
    name shown beside the French one, lang="en") is English on purpose."""
    found: list[str] = []
    for child in element.children:
        if isinstance(child, str):
            if child.strip():
                found.append(" ".join(child.split()))
        elif child.tag not in ("script", "style", "template", "code") and child.get("lang", "fr") == "fr":
            found += text_nodes(child)
    return found


@pytest.fixture
def french_world(session):
    world = build_world(session)
    for user in world.users.values():
        user.language = "fr"
    session.commit()
    return world


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_french(app, session, french_world, role):
    world = french_world
    data = typed_words(session)
    problems: list[str] = []
    with TestClient(app, raise_server_exceptions=False, headers={"Accept-Language": "fr"}) as client:
        sign_in(client, role, world)
        seen = 0
        for method, path in all_routes(app):
            if method != "GET" or path.startswith("/api/") or path in NOT_OURS or "/language" in path:
                continue
            url = with_org(fill(path, world), role, world)
            response = client.get(url, follow_redirects=False)
            if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            seen += 1
            doc = parse(response.text)
            # A fragment polled by htmx (a run's status block) has no <html> of its own: its text is read.
            page, title = doc.find("html"), doc.find("title")
            if page is not None and page.get("lang") != "fr":
                problems.append(f"{url}: <html lang> is not fr")
            text = "\n".join(text_nodes(doc.find("body") or doc))
            readable = ([title.text] if title is not None else []) + [
                e.get(a) for e in doc.iter() for a in ("title", "aria-label", "placeholder", "alt") if e.get(a)]
            found = leftovers("\n".join([text, *readable]), data)
            problems += [f"{url}: {bit}" for bit in found]
        assert seen >= 3, f"only {seen} pages opened for {role}"
    assert not problems, f"{len(problems)} English bits on {role}'s French pages:\n" + "\n".join(problems[:60])
