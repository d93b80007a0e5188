"""The HXL exports read back with libhxl, as the Humanitarian Data Exchange reads them: every column's hashtag."""

from __future__ import annotations

import io

import hxl
import pytest

from capmatch.exports.columns import COLUMNS


def hxl_source(content: bytes):
    return hxl.data(io.BytesIO(content), hxl.InputOptions(allow_local=True))


@pytest.mark.parametrize("dataset", sorted(COLUMNS))
def test_every_column_of_an_hxl_export_carries_its_hashtag(export, market, dataset):
    response = export(f"{dataset}.hxl", market.users["officer"])
    assert response.status_code == 200, response.text
    source = hxl_source(response.content)
    columns = source.columns
    assert [c.header for c in columns] == [c.name for c in COLUMNS[dataset]]
    assert [c.get_display_tag(sort_attributes=True) for c in columns] == [
        hxl.model.Column.parse(c.tag).get_display_tag(sort_attributes=True) for c in COLUMNS[dataset]]
    assert all(c.tag for c in columns), "libhxl recognised a hashtag in every column"
    assert len(list(source)) > 0


def test_hxl_rows_carry_iso3_countries_and_both_organizations(export, market):
    source = hxl_source(export("deployments.hxl", market.users["officer"]).content)
    [row] = list(source)
    assert row.get("#country+code") == "SSD"
    assert row.get("#country+name") == "South Sudan"
    assert row.get("#country+provider+code") == "KEN"
    assert row.get("#org+name") == "UN Mission in South Sudan"
    assert row.get("#org+provider+name") == "Kenya Civilian Agency"
    assert row.get("#sector+code") == "justice"
    assert (row.get("#date+start"), row.get("#date+end")) == ("2027-03-01", "2028-03-01")
    assert row.get("#status") == "deployed"


def test_hxl_tags_filter_the_needs_as_hdx_tools_would(export, market):
    source = hxl_source(export("needs.hxl", market.users["officer"]).content)
    in_mali = source.with_rows("#country+code=MLI")
    assert [r.get("#activity+name") for r in in_mali] == ["Court registry adviser"]
    positions = sum(int(r.get("#indicator+num+positions")) for r in hxl_source(
        export("needs.hxl", market.users["officer"]).content))
    assert positions == 2 + 1 + 1 + 1
