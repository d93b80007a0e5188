"""skills as a controlled vocabulary per area; free-text skills of needs and offers mapped to its codes

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-03 14:00:00.000000

The vocabulary is the one in seed/skills.csv, for the areas the database already has (a fresh
database has none yet: `capmatch seed taxonomy` loads areas and skills together). Each need's
and offer's skills are then mapped to codes among its areas' skills, as a form or an import maps
them today: a code, a name or a close spelling. What names no skill is taken off the record and
reported: in the migration's log and in an audit event on the record, which keeps the text.
"""

import csv
import json
import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from capmatch.taxonomy.skill_words import Vocabulary, resolve_all

revision = '0012'
down_revision = '0014'
branch_labels = None
depends_on = None

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "skills.csv"
log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    op.create_table(
        'skills',
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('name_fr', sa.String(length=160), nullable=True),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("code ~ '^[a-z][a-z0-9_]*$'", name=op.f('ck_skills_code_format')),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_skills')),
    )
    op.create_table(
        'skill_areas',
        sa.Column('skill_code', sa.String(length=60), nullable=False),
        sa.Column('area_code', sa.String(length=40), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_skill_areas_area_code_areas')),
        sa.ForeignKeyConstraint(['skill_code'], ['skills.code'], name=op.f('fk_skill_areas_skill_code_skills'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('skill_code', 'area_code', name=op.f('pk_skill_areas')),
    )
    op.create_index(op.f('ix_skill_areas_area_code'), 'skill_areas', ['area_code'], unique=False)
    conn = op.get_bind()
    vocab = _load_vocabulary(conn)
    if vocab.names:
        _map_free_text(conn, vocab)


def downgrade() -> None:
    # The codes stay on needs and offers: they read as well as the free text they replaced.
    op.drop_index(op.f('ix_skill_areas_area_code'), table_name='skill_areas')
    op.drop_table('skill_areas')
    op.drop_table('skills')


def _load_vocabulary(conn: sa.Connection) -> Vocabulary:
    with SEED_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    area_names = dict(conn.execute(sa.text("SELECT code, name FROM areas")).all())
    rows = [r for r in rows if r["area_code"] in area_names]
    areas: dict[str, list[str]] = {}
    names: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        areas.setdefault(row["area_code"], []).append(row["code"])
        names.setdefault(row["code"], (row["name"], row["name_fr"] or None))
    if names:
        conn.execute(sa.text("INSERT INTO skills (code, name, name_fr) VALUES (:code, :name, :name_fr)"),
                     [{"code": c, "name": n, "name_fr": fr} for c, (n, fr) in names.items()])
        conn.execute(sa.text("INSERT INTO skill_areas (skill_code, area_code, position) VALUES (:s, :a, :p)"),
                     [{"s": c, "a": a, "p": i} for a, codes in areas.items() for i, c in enumerate(codes)])
    return Vocabulary(
        names={c: n for c, (n, _fr) in names.items()}, names_fr={c: fr for c, (_n, fr) in names.items() if fr},
        areas={a: tuple(codes) for a, codes in areas.items()}, area_names=area_names, retired=frozenset(),
    )


def _map_free_text(conn: sa.Connection, vocab: Vocabulary) -> None:
    needs = conn.execute(sa.text(
        "SELECT id, skills, ARRAY[area_code] FROM needs WHERE cardinality(skills) > 0 ORDER BY id")).all()
    offers = conn.execute(sa.text(
        "SELECT o.id, o.skills, coalesce(array_agg(a.area_code) FILTER (WHERE a.area_code IS NOT NULL), '{}') "
        "FROM offers o LEFT JOIN offer_areas a ON a.offer_id = o.id WHERE cardinality(o.skills) > 0 "
        "GROUP BY o.id ORDER BY o.id")).all()
    for table, entity, records in (("needs", "need", needs), ("offers", "offer", offers)):
        for record_id, skills, areas in records:
            codes, problems = resolve_all(vocab, list(skills), areas=list(areas))
            if codes == list(skills):
                continue
            unknown = [skills[i] for i, _message in problems]
            conn.execute(sa.text(f"UPDATE {table} SET skills = :codes WHERE id = :id"), {"codes": codes, "id": record_id})
            conn.execute(
                sa.text("INSERT INTO audit_events (entity_type, entity_id, action, data) "
                        "VALUES (:entity, :id, 'map_skills', CAST(:data AS jsonb))"),
                {"entity": entity, "id": record_id, "data": json.dumps(
                    {"before": list(skills), "after": codes, "unknown": unknown}, ensure_ascii=False)},
            )
            for i, message in problems:
                log.warning("%s %d: skill '%s' taken off: %s", entity, record_id, skills[i], message)
