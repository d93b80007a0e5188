"""Starting a match run through the policy form, and watching and reading it on its page."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from capmatch.matching import runs as run_jobs
from capmatch.matching.core.policy import COMPONENTS
from capmatch.matching.models import MatchRun
from tests.factories import breakdown, make_gap, make_need, make_offer, make_organization, make_proposal, make_run
from tests.officer.conftest import count, post
from tests.web.html import parse


def jobs(session) -> list[tuple[str, dict]]:
    return list(session.execute(sa.text("SELECT task_name, args FROM procrastinate_jobs ORDER BY id")).all())


def error_on(doc, field_id: str) -> str:
    node = doc.by_id(f"{field_id}-error")
    assert node is not None, f"no error on {field_id}"
    return node.text


def test_the_run_form_offers_the_stored_policies_and_labels_every_field(as_officer, policies):
    doc = parse(as_officer.get("/officer/runs/new").text)
    policy = doc.find("select", name="policy")
    assert [o.get("value") for o in policy.find_all("option")] == ["default", "south-south-first"]
    assert policy.find("option", selected=True).get("value") == "default"
    for name in ("weights.skills", "weights.south_south", "weights.capacity_transfer",
                 "constraints.min_south_south_share", "constraints.max_provider_share",
                 "constraints.max_country_share", "constraints.min_women_share", "constraints.budget_usd",
                 "constraints.time_limit_seconds", "scope.cluster", "scope.area", "scope.country"):
        control = doc.find(name=name)
        assert control is not None, name
        assert doc.find("label", for_=control.get("id")) is not None, name
    assert doc.find("input", name="weights.skills").get("type") == "number"


def test_bad_numbers_are_shown_on_their_fields_and_no_run_is_created(as_officer, session, policies):
    response = post(as_officer, "/officer/runs/new", {
        "policy": "default", "weights.skills": "-1", "weights.language": "lots",
        "constraints.min_south_south_share": "1.5", "constraints.time_limit_seconds": "inf",
    })
    assert response.status_code == 400
    doc = parse(response.text)
    assert error_on(doc, "f-weights-skills").endswith("Enter a weight from 0 to 100 for “Skill coverage”.")
    assert error_on(doc, "f-weights-language").endswith("Enter the weight for “Language” as a number.")
    assert error_on(doc, "f-constraints-min_south_south_share").endswith(
        "Enter the minimum South-South share as a fraction from 0 to 1 (0.6 is 60%).")
    assert error_on(doc, "f-constraints-time_limit_seconds").endswith("Enter the solver time limit as a number.")
    assert doc.find("input", name="weights.skills").get("value") == "-1"  # shown again as typed
    assert doc.find(class_="error-summary") is not None
    assert count(session, MatchRun) == 0 and jobs(session) == []


def test_an_unknown_area_is_refused_on_the_area_field_and_nothing_is_written(as_officer, session, policies):
    response = post(as_officer, "/officer/runs/new", {"policy": "default", "scope.area": "astrology"})
    assert response.status_code == 400
    assert "there is no capacity area 'astrology'" in error_on(parse(response.text), "f-scope-area")
    assert count(session, MatchRun) == 0 and jobs(session) == []


def test_every_weight_at_zero_is_refused(as_officer, session, policies):
    zeros = {f"weights.{c}": "0" for c in breakdown(0)}
    response = post(as_officer, "/officer/runs/new", {"policy": "default", **zeros})
    assert response.status_code == 400
    assert "At least one weight" in error_on(parse(response.text), "f-weights")
    assert count(session, MatchRun) == 0


def test_a_valid_form_queues_a_run_and_its_job_and_opens_the_run_page(as_officer, session, policies, officer):
    response = post(as_officer, "/officer/runs/new", {
        "policy": "south-south-first", "weights.cost": "4", "weights.skills": "",
        "constraints.max_provider_share": "0.5", "constraints.time_limit_seconds": "30",
        "scope.area": "corrections", "scope.country": "SSD",
    })
    assert response.status_code == 303, response.text
    run = session.scalar(sa.select(MatchRun))
    assert response.headers["location"] == f"/officer/runs/{run.id}"
    assert (run.status, run.created_by_id) == ("queued", officer.id)
    assert run.policy_snapshot["name"] == "south-south-first"
    assert run.policy_snapshot["weights"]["cost"] == 4 and run.policy_snapshot["weights"]["skills"] == 3
    assert run.policy_snapshot["constraints"] == {"min_south_south_share": 0.6, "max_provider_share": 0.5,
                                                  "time_limit_seconds": 30}
    assert run.scope == {"area": "corrections", "country": "SSD"}
    assert jobs(session) == [("capmatch:execute_match_run", {"run_id": run.id})]

    doc = parse(as_officer.get(response.headers["location"]).text)
    assert f"Match run {run.id} is queued" in doc.find(class_="flash").text


@contextmanager
def worker_holding(engine, run_id: int):
    """A live worker, as the run's advisory lock says: without it a running run counts as abandoned."""
    with engine.connect() as holder:
        holder.execute(sa.text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": run_jobs.RUN_LOCKS, "id": run_id})
        try:
            yield
        finally:
            holder.execute(sa.text("SELECT pg_advisory_unlock_all()"))


def test_a_running_run_shows_its_progress_and_polls_for_more(as_officer, session, engine):
    run = make_run(session, status="running", phase="scoring candidates", progress=0.42)
    with worker_holding(engine, run.id):
        page = as_officer.get(f"/officer/runs/{run.id}")
        partial = as_officer.get(f"/officer/runs/{run.id}/status?live=1")
    doc = parse(page.text)
    region = doc.by_id("run-status")
    assert region.get("aria-live") == "polite"
    assert region.get("hx-get") == f"/officer/runs/{run.id}/status?live=1"
    assert "every 1s" in region.get("hx-trigger")
    bar = region.find("progress")
    assert (bar.get("value"), bar.get("max")) == ("0.42", "1")
    assert "42%" in region.text and "Scoring candidates" in region.text
    assert doc.find("a", href=f"/officer/runs/{run.id}") is not None  # reload without JavaScript

    assert partial.status_code == 200 and "HX-Refresh" not in partial.headers
    assert "<html" not in partial.text and parse(partial.text).find("progress").get("value") == "0.42"


def test_a_run_whose_worker_is_gone_is_marked_failed_by_the_periodic_job_not_by_reading_it(as_officer, session):
    run = make_run(session, status="running", phase="scoring candidates", progress=0.42)
    as_officer.get(f"/officer/runs/{run.id}")
    session.expire_all()
    assert session.get(MatchRun, run.id).status == "running"  # a GET never writes
    assert run_jobs.fail_abandoned_runs(session) == 1  # what the periodic job does
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    region = doc.by_id("run-status")
    assert region.get("hx-get") is None  # nothing left to poll for
    assert "stopped before it finished" in region.text


def test_when_the_run_finishes_the_poll_reloads_the_page(as_officer, session):
    run = make_run(session, status="running", progress=0.9)
    session.commit()
    run.status, run.progress, run.phase = "succeeded", 1.0, "done"
    session.commit()
    partial = as_officer.get(f"/officer/runs/{run.id}/status?live=1")
    assert partial.headers.get("HX-Refresh") == "true"
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    assert doc.by_id("run-status").get("hx-get") is None  # a finished run is not polled


def test_a_finished_run_shows_its_figures(as_officer, session):
    run = make_run(session)
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    figures = {d.find("dt").text: d.find("dd").text for d in doc.find("dl", aria_labelledby="figures-title").find_all("div")}
    assert figures["Positions filled"] == "3 of 4 filled, 1 unfilled"
    assert figures["Total score"] == ("2.40 The sum of the proposals' scores; higher is better; "
                                      "the best possible under this policy.")
    assert figures["South-South share"] == "50%"
    assert figures["Solve time"] == "0.12 s"
    assert figures["Optimality gap"] == "none (optimal)"
    # The officer reads what the solver reached; the method is the detail line under it.
    assert figures["Solution"] == "Exact optimum scipy/assignment 1.14"


def test_the_run_page_lists_proposals_by_score_with_their_breakdowns(as_officer, session):
    run = make_run(session)
    for score in (0.31, 0.92, 0.55):
        make_proposal(session, run, score=score, breakdown={**breakdown(0.5), "skills": score})
    other = make_run(session)
    make_proposal(session, other, score=0.99)  # another run's proposal is not listed

    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    rows = doc.find("table", class_="proposals").find("tbody").find_all("tr")
    # Out of 100 under the run's weights (skills is 3 of the default 15.5; the rest score 0.5):
    # 100 * (0.5 * 12.5 + 0.92 * 3) / 15.5 = 58; the solver's own score on hover.
    assert [r.find(class_="score").text for r in rows] == ["58", "51", "46"]
    assert rows[0].find(class_="score").get("title") == "Solver score 0.920"
    spark = rows[0].find("svg", class_="spark")
    assert spark.find("title").text == "Skill coverage 92%, Language 50%"
    # One stroke per component in the legend's order, as tall as its value (out of 20).
    strokes = spark.find("path").get("d").split("M")[1:]
    assert len(strokes) == len(COMPONENTS) and strokes[0] == "2 20V2" and strokes[3] == "14 20V10"
    legend = doc.by_id("score-legend").text
    assert "Skill coverage 19%" in legend and "Match out of 100" in legend
    assert doc.find("a", id="sort-score").get("href") == f"/officer/runs/{run.id}?tab=proposals&sort=-score"

    ascending = parse(as_officer.get(f"/officer/runs/{run.id}?sort=-score").text)
    rows = ascending.find("table", class_="proposals").find("tbody").find_all("tr")
    assert [r.find(class_="score").text for r in rows] == ["46", "51", "58"]
    assert ascending.find("a", id="sort-score").get("href").endswith("sort=score")


def test_the_run_page_shows_titles_and_names_as_text_never_as_markup(as_officer, session):
    run = make_run(session)
    need = make_need(session, title="Judge <script>alert(1)</script>")
    offer = make_offer(session, title="Prosecutor & <b>mentor</b>",
                       provider_org_id=make_organization(session, name="<i>Bureau</i> d'appui").id)
    make_proposal(session, run, score=0.8, need=need, offer=offer)

    page = as_officer.get(f"/officer/runs/{run.id}").text
    assert "<script>alert" not in page and "<b>mentor" not in page and "<i>Bureau" not in page
    row = parse(page).find("table", class_="proposals").find("tbody").find("tr")
    cells = {td.get("data-label"): td for td in row.find_all("td")}
    assert cells["Need"].find("a").text == "Judge <script>alert(1)</script>"
    assert cells["Offer"].find("a").text == "Prosecutor & <b>mentor</b>"
    provider = cells["Offer"].find("abbr", class_="hint")  # its acronym, the full name on hover
    assert provider.attrs["title"] == "<i>Bureau</i> d'appui"
    assert cells["Status"].text.strip() == "proposed"
    proposal_id = row.get("id").removeprefix("proposal-")
    assert cells["Actions"].find("button", name="approve_one").get("value") == proposal_id
    assert cells["Actions"].find("a").get("href") == f"/officer/audit?entity=proposal&id={proposal_id}"


def test_a_large_run_is_shown_a_page_at_a_time(as_officer, session):
    run = make_run(session)
    need = make_need(session, positions=60)
    for i in range(60):
        make_proposal(session, run, score=i / 100, need=need)
    first = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    assert len(first.find("table", class_="proposals").find("tbody").find_all("tr")) == 50
    nxt = first.find("a", rel="next")
    assert nxt.get("href") == f"/officer/runs/{run.id}?tab=proposals&sort=score&page=2"
    second = parse(as_officer.get(nxt.get("href")).text)
    rows = second.find("table", class_="proposals").find("tbody").find_all("tr")
    assert [r.find(class_="score").get("title") for r in rows] == [
        f"Solver score {i / 100:.3f}" for i in range(9, -1, -1)]


def test_the_gaps_tab_lists_unfilled_positions_with_their_reasons(as_officer, session):
    run = make_run(session)
    need = make_need(session, title="Electoral adviser", area_code="elections", positions=2)
    make_gap(session, run, need=need, unfilled=2, messages=(
        "No offer in elections is available before 1 March 2027.", "2 offers speak French only at B1."))
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    assert doc.find("a", href=f"/officer/runs/{run.id}?tab=gaps").text == "Unfilled positions (2 in 1 need)"

    doc = parse(as_officer.get(f"/officer/runs/{run.id}?tab=gaps").text)
    row = doc.find("table", class_="gaps").find("tbody").find("tr")
    assert row.find("a", href=f"/needs/{need.id}").text == "Electoral adviser"
    assert row.find(class_="num").text == "2"
    assert [li.text for li in row.find_all("li")] == [
        "No offer in elections is available before 1 March 2027.", "2 offers speak French only at B1."]


def test_the_runs_list_shows_each_run_with_its_status(as_officer, session):
    done, queued = make_run(session), make_run(session, status="queued")
    doc = parse(as_officer.get("/officer/runs").text)
    rows = doc.find("table").find("tbody").find_all("tr")
    assert [r.find("a").text for r in rows] == [f"Run {queued.id}", f"Run {done.id}"]
    assert "queued" in rows[0].text and "3 / 4" in rows[1].text


def test_an_unknown_run_is_not_found(as_officer):
    assert as_officer.get("/officer/runs/999999").status_code == 404


def test_a_finished_run_pages_by_the_count_it_recorded(as_officer, session):
    run = make_run(session, figures={"method": "assignment", "status": "optimal", "proposals_written": 55,
                                     "unfilled_needs": 4})
    need = make_need(session, positions=60)
    for i in range(55):
        make_proposal(session, run, score=i / 100, need=need)
    page = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    assert page.find("a", rel="next").get("href") == f"/officer/runs/{run.id}?tab=proposals&sort=score&page=2"
    second = parse(as_officer.get(f"/officer/runs/{run.id}?tab=proposals&sort=score&page=2").text)
    assert len(second.find("table", class_="proposals").find("tbody").find_all("tr")) == 5
    # The recorded figures: 4 needs with a gap, 4 positions open of which 3 were filled.
    assert "Unfilled positions (1 in 4 needs)" in page.text


def test_a_run_record_has_what_the_run_page_shows_and_an_unknown_run_is_not_found(session, officer):
    from capmatch.auth.actor import Actor
    from capmatch.errors import Forbidden, NotFound
    from capmatch.matching.service import get_run_record

    run = make_run(session)
    actor = Actor(user_id=officer.id, role="officer", organization_id=None)
    record = get_run_record(session, actor=actor, run_id=run.id)
    for name in ("id", "created_at", "policy_snapshot", "scope", "status", "progress", "phase", "error", "figures",
                 "positions_open", "positions_filled", "total_score", "south_south_share", "solve_seconds",
                 "optimality_gap", "solver", "solver_version"):
        assert getattr(record, name) == getattr(run, name), name
    with pytest.raises(NotFound):
        get_run_record(session, actor=actor, run_id=run.id + 1000)
    with pytest.raises(Forbidden):
        get_run_record(session, actor=Actor(user_id=officer.id, role="requester", organization_id=None), run_id=run.id)
