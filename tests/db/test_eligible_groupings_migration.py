"""Migration 0015 moves each need's one grouping into need_eligible_groupings, and back on downgrade."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from tests.conftest import alembic_config
from tests.db.test_migrations import scratch_engine  # noqa: F401 - a fixture: a database of its own

WORLD = """
INSERT INTO clusters (code, name, name_fr, position, cross_cutting) VALUES
  ('justice', 'Justice', 'Justice', 2, false);
INSERT INTO areas (code, cluster_code, name, name_fr, position) VALUES
  ('corrections', 'justice', 'Corrections', 'Système pénitentiaire', 3);
INSERT INTO countries (iso3, iso2, m49, name, region, sub_region, global_south) VALUES
  ('SOM', 'SO', '706', 'Somalia', 'Africa', 'Eastern Africa', true);
INSERT INTO organizations (id, name, kind, agreement_form, may_request, may_provide, description) VALUES
  (1, 'Mission', 'un_entity', 'memorandum_of_understanding', true, true, ''),
  (2, 'African Union', 'regional_organization', 'memorandum_of_understanding', true, false, '');
INSERT INTO memberships (organization_id, country_iso3) VALUES (2, 'SOM');
INSERT INTO needs (id, requester_org_id, duty_country_iso3, title, terms_of_reference, area_code, skills,
                   min_years_experience, positions, start_by, duration_months, modality, funding, urgency,
                   exclude_duty_nationals, status, eligible_members_of_id) VALUES
  (1, 1, 'SOM', 'AU adviser', '', 'corrections', ARRAY['prison_management'], 0, 1, '2027-03-01', 6,
   'deployed_expert', 'requester_paid', 'normal', false, 'open', 2),
  (2, 1, 'SOM', 'Open adviser', '', 'corrections', ARRAY['prison_management'], 0, 1, '2027-03-01', 6,
   'deployed_expert', 'requester_paid', 'normal', false, 'open', NULL);
"""


def test_the_one_grouping_of_each_need_is_copied_and_the_column_dropped(scratch_engine):
    with scratch_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0013")
        for statement in WORLD.split(";\n"):
            if statement.strip():
                conn.execute(sa.text(statement))
    with scratch_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0015")
    with scratch_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT need_id, organization_id FROM need_eligible_groupings")).all() == [(1, 2)]
        columns = {c["name"] for c in sa.inspect(conn).get_columns("needs")}
        assert "eligible_members_of_id" not in columns
    with scratch_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0013")
    with scratch_engine.connect() as conn:
        assert dict(conn.execute(sa.text("SELECT id, eligible_members_of_id FROM needs")).all()) == {1: 2, 2: None}
