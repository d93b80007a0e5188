"""A need's gender-balance target, stored by the requester, changes what a real run proposes."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from capmatch.matching import runs
from tests.factories import make_need, make_offer
from tests.matching.test_runs import start_run


@pytest.mark.parametrize("target, expected", [(None, "male"), (Decimal("0.10"), "male"), (Decimal("0.50"), "female")])
def test_the_target_decides_between_a_slightly_stronger_man_and_a_woman(committed, target, expected):
    # As in tests/unit/test_gender_target.py: a year more of experience is worth 0.15 weighted
    # points to the man, the target t points to the woman.
    need = make_need(committed, min_years_experience=5, gender_target=target)
    make_offer(committed, gender="male", years_experience=9)
    make_offer(committed, gender="female", years_experience=8)
    committed.commit()
    runs.execute(start_run(committed))
    chosen, breakdown = committed.execute(sa.text(
        "SELECT f.gender, p.breakdown FROM proposals p JOIN offers f ON f.id = p.offer_id WHERE p.need_id = :n"),
        {"n": need.id}).one()
    assert chosen == expected
    assert ("gender_balance" in breakdown) == (target is not None)
