"""Migration 0012 turns the free-text skills already in a database into the vocabulary's codes, and reports the rest."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from tests.conftest import alembic_config
from tests.db.test_migrations import scratch_engine  # noqa: F401 - a fixture: a database of its own

WORLD = """
INSERT INTO clusters (code, name, name_fr, position, cross_cutting) VALUES
  ('safety_security', 'Safety and security', 'Sûreté et sécurité', 1, false),
  ('justice', 'Justice', 'Justice', 2, false);
INSERT INTO areas (code, cluster_code, name, name_fr, position) VALUES
  ('border_management', 'safety_security', 'Border management', 'Gestion des frontières', 4),
  ('corrections', 'justice', 'Corrections', 'Système pénitentiaire', 3);
INSERT INTO countries (iso3, iso2, m49, name, region, sub_region, global_south) VALUES
  ('SOM', 'SO', '706', 'Somalia', 'Africa', 'Eastern Africa', true);
INSERT INTO organizations (id, name, kind, agreement_form, may_request, may_provide, description) VALUES
  (1, 'Mission', 'un_entity', 'memorandum_of_understanding', true, true, '');
INSERT INTO needs (id, requester_org_id, duty_country_iso3, title, terms_of_reference, area_code, skills,
                   min_years_experience, positions, start_by, duration_months, modality, funding, urgency,
                   exclude_duty_nationals, status) VALUES
  (1, 1, 'SOM', 'Border adviser', '', 'border_management',
   ARRAY['integrated border management', 'Customs', 'crystal gazing'], 0, 1, '2027-03-01', 6, 'deployed_expert',
   'requester_paid', 'normal', false, 'open'),
  (2, 1, 'SOM', 'Prison adviser', '', 'corrections', ARRAY['prison_management'], 0, 1, '2027-03-01', 6,
   'deployed_expert', 'requester_paid', 'normal', false, 'open');
INSERT INTO offers (id, provider_org_id, kind, title, summary, years_experience, skills, capacity, available_from,
                    lead_time_days, max_duration_months, cost_bearer, status) VALUES
  (1, 1, 'training', 'Border course', '', 0, ARRAY['border policing', 'prison managment'], 1, '2027-01-01', 30, 1,
   'provider', 'available');
INSERT INTO offer_areas (offer_id, area_code) VALUES (1, 'border_management'), (1, 'corrections');
"""


def test_free_text_skills_become_codes_and_what_names_no_skill_is_reported(scratch_engine):
    with scratch_engine.begin() as conn:
        config = alembic_config(conn)
        before = ScriptDirectory.from_config(config).get_revision("0012").down_revision
        command.upgrade(config, before)
        for statement in WORLD.split(";\n"):
            if statement.strip():
                conn.execute(sa.text(statement))
    with scratch_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0012")
    with scratch_engine.connect() as conn:
        needs = dict(conn.execute(sa.text("SELECT id, skills FROM needs")).all())
        assert needs == {1: ["integrated_border_management", "customs"], 2: ["prison_management"]}
        assert conn.scalar(sa.text("SELECT skills FROM offers WHERE id = 1")) == ["border_policing", "prison_management"]
        events = conn.execute(sa.text(
            "SELECT entity_type, entity_id, action, data FROM audit_events ORDER BY entity_type, entity_id")).all()
        assert [(e.entity_type, e.entity_id, e.action) for e in events] == [("need", 1, "map_skills"),
                                                                           ("offer", 1, "map_skills")]
        assert events[0].data == {"before": ["integrated border management", "Customs", "crystal gazing"],
                                  "after": ["integrated_border_management", "customs"], "unknown": ["crystal gazing"]}
        # Only the areas present get their skills: the others come with `capmatch seed taxonomy`.
        areas = {a for (a,) in conn.execute(sa.text("SELECT DISTINCT area_code FROM skill_areas"))}
        assert areas == {"border_management", "corrections"}
