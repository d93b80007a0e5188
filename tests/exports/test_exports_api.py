"""GET /api/v1/exports/{dataset}.{format} over HTTP: every dataset in every format, the filters, the cells."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from capmatch.exports.columns import COLUMNS
from tests.exports.conftest import read_back

FORMATS = ("csv", "json", "xlsx", "hxl")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dataset", sorted(COLUMNS))
def test_each_dataset_exports_in_each_format_with_its_columns(export, market, dataset, fmt):
    response = export(f"{dataset}.{fmt}", market.users["officer"])
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="capmatch-{dataset}')
    assert disposition.endswith('.csv"' if fmt == "hxl" else f'.{fmt}"')
    rows = read_back(fmt, response.content)
    assert rows, "the officer sees records of every dataset"
    assert list(rows[0]) == [c.name for c in COLUMNS[dataset]]


def ids(rows, key):
    return sorted(int(r[key]) for r in rows)


def test_the_needs_export_has_both_countries_codes_and_names_and_the_requester(export, market):
    rows = read_back("csv", export("needs.csv", market.users["officer"]).content)
    prisons = next(r for r in rows if r["need_id"] == str(market.needs["prisons"].id))
    assert {k: prisons[k] for k in ("title", "requester", "duty_country_code", "duty_country", "cluster_code",
                                    "area_code", "languages", "positions", "start_by", "end_by", "status")} == {
        "title": "Prison reform adviser", "requester": "UN Mission in South Sudan", "duty_country_code": "SSD",
        "duty_country": "South Sudan", "cluster_code": "justice", "area_code": "corrections",
        "languages": "eng:C1;ara:B1", "positions": "2", "start_by": "2027-03-01", "end_by": "2028-03-01",
        "status": "partially_filled",
    }
    mali = next(r for r in rows if r["need_id"] == str(market.needs["mali"].id))
    assert (mali["duty_country_code"], mali["duty_country"]) == ("MLI", "Mali")


def test_deployments_say_from_where_to_where_for_whom(export, market):
    [row] = read_back("json", export("deployments.json", market.users["officer"]).content)
    assert row["proposal_id"] == market.proposals["deployed"].id
    assert {k: row[k] for k in ("status", "requester", "duty_country_code", "duty_country", "provider",
                                "provider_country_code", "provider_country", "nationality_code", "start_by",
                                "end_by")} == {
        "status": "deployed", "requester": "UN Mission in South Sudan", "duty_country_code": "SSD",
        "duty_country": "South Sudan", "provider": "Kenya Civilian Agency", "provider_country_code": "KEN",
        "provider_country": "Kenya", "nationality_code": "KEN", "start_by": "2027-03-01", "end_by": "2028-03-01",
    }


def test_gaps_are_the_latest_runs_unfilled_positions_with_their_reasons(export, market, session):
    from tests.factories import make_gap, make_run

    rows = read_back("json", export("gaps.json", market.users["officer"]).content)
    assert [r["need_id"] for r in rows] == sorted([market.needs["elections"].id, market.needs["mali"].id])
    elections = next(r for r in rows if r["need_id"] == market.needs["elections"].id)
    assert (elections["run_id"], elections["unfilled"], elections["main_reason"], elections["reasons"]) == (
        market.run.id, 1, "area", "No offer in elections speaks English at C1.; 2 offers start too late.")
    later = make_run(session)
    make_gap(session, later, need=market.needs["prisons"], unfilled=2)
    session.commit()
    rows = read_back("json", export("gaps.json", market.users["officer"]).content)
    assert [(r["run_id"], r["need_id"], r["unfilled"]) for r in rows] == [(later.id, market.needs["prisons"].id, 2)]
    named = read_back("json", export("gaps.json", market.users["officer"], run=market.run.id).content)
    assert len(named) == 2


def test_the_lists_filters_narrow_the_export(export, market):
    officer = market.users["officer"]
    by_area = read_back("json", export("needs.json", officer, area="elections").content)
    assert [r["need_id"] for r in by_area] == [market.needs["elections"].id]
    by_country = read_back("json", export("needs.json", officer, country="MLI").content)
    assert [r["need_id"] for r in by_country] == [market.needs["mali"].id]
    by_status = read_back("json", export("needs.json", officer, status=["draft"]).content)
    assert [r["need_id"] for r in by_status] == [market.needs["draft"].id]
    searched = read_back("json", export("needs.json", officer, q="registry").content)
    assert [r["need_id"] for r in searched] == [market.needs["mali"].id]
    rival = read_back("json", export("offers.json", officer, provider=market.rival.id).content)
    assert [r["offer_id"] for r in rival] == [market.offers["rival"].id]
    french = read_back("json", export("gaps.json", officer, language="fra").content)
    assert [r["need_id"] for r in french] == [market.needs["mali"].id]
    by_state = read_back("json", export("proposals.json", officer, status=["proposed"]).content)
    assert [r["proposal_id"] for r in by_state] == [market.proposals["proposed"].id]
    of_need = read_back("json", export("proposals.json", officer, need=market.needs["prisons"].id).content)
    assert [r["proposal_id"] for r in of_need] == [market.proposals["deployed"].id]
    # An offer export shows available offers unless asked, as the list does.
    assert market.offers["withdrawn"].id not in [r["offer_id"] for r in read_back(
        "json", export("offers.json", officer).content)]
    assert [r["offer_id"] for r in read_back("json", export("offers.json", officer, status=["withdrawn"]).content)] \
        == [market.offers["withdrawn"].id]


@pytest.mark.parametrize(("path", "params", "field"), [
    ("needs.csv", {"kind": "training"}, "kind"),
    ("proposals.csv", {"q": "prison"}, "q"),
    ("offers.csv", {"run": "1"}, "run"),
    ("needs.csv", {"status": "deployed"}, "status"),
    ("gaps.csv", {"status": "open"}, "status"),
    ("needs.csv", {"urgency": "whenever"}, "urgency[0]"),
])
def test_a_filter_or_a_name_the_export_does_not_take_is_a_422_naming_it(export, market, path, params, field):
    response = export(path, market.users["officer"], **params)
    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["error"]["fields"]] == [field]


@pytest.mark.parametrize("path", ["needs.pdf", "people.csv", "needs", "needs.csv.json"])
def test_an_export_the_address_does_not_name_is_not_found(export, market, path):
    response = export(path, market.users["officer"])
    assert response.status_code == 404, response.text


def test_numbers_are_written_with_a_dot_and_dates_in_iso(export, market):
    rows = read_back("csv", export("offers.csv", market.users["officer"]).content)
    rival = next(r for r in rows if r["offer_id"] == str(market.offers["rival"].id))
    assert (rival["monthly_cost_usd"], rival["available_from"]) == ("9500.50", "2027-01-01")
    [json_rival] = [r for r in read_back("json", export("offers.json", market.users["officer"]).content)
                    if r["offer_id"] == market.offers["rival"].id]
    assert json_rival["monthly_cost_usd"] == 9500.5


def test_cells_that_would_run_as_formulas_are_neutralised_in_csv_and_text_in_xlsx(export, market):
    quiet = market.offers["quiet"]
    for fmt in ("csv", "hxl"):
        [row] = [r for r in read_back(fmt, export(f"offers.{fmt}").content) if r["offer_id"] == str(quiet.id)]
        assert row["title"] == "'=HYPERLINK(\"http://evil.example\")"
        assert row["summary"] == "'+1 rated; -2 weeks notice; @ anywhere"
    content = export("offers.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    [cells] = [row for row in sheet.iter_rows(min_row=2) if row[header.index("offer_id")].value == quiet.id]
    title = cells[header.index("title")]
    assert (title.value, title.data_type) == ("=HYPERLINK(\"http://evil.example\")", "s")
    assert cells[header.index("summary")].data_type == "s"
    # Numbers and dates stay numbers and dates.
    assert cells[header.index("capacity")].data_type == "n"
    assert cells[header.index("available_from")].is_date
