"""A synthetic marketplace loads with COPY, is the same for the same seed, and never duplicates itself."""

import numpy as np
import pytest
import sqlalchemy as sa

from capmatch.errors import Conflict
from capmatch.models import Need, NeedLanguage, Offer, OfferArea, OfferLanguage, Organization
from capmatch.seed.synthetic import TITLE_MARK, generate
from capmatch.seed.synthetic_load import load_synthetic


def _count(session, model, *where):
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _fingerprint(session):
    """The marketplace's content, without the database ids that differ between loads."""
    needs = session.execute(sa.select(Need.title, Need.duty_country_iso3, Need.area_code, Need.start_by)
                            .where(Need.title.like(f"{TITLE_MARK}%")).order_by(Need.title, Need.start_by)).all()
    offers = session.execute(sa.select(Offer.title, Offer.nationality_iso3, Offer.expert_name, Offer.available_from)
                             .where(Offer.title.like(f"{TITLE_MARK}%"))
                             .order_by(Offer.available_from, Offer.expert_name, Offer.title)).all()
    return needs, offers


def test_a_small_synthetic_marketplace_loads_the_requested_counts(session):
    counts = load_synthetic(session, needs=200, offers=2000, seed=7)
    assert (counts.needs, counts.offers) == (200, 2000)
    assert _count(session, Need, Need.title.like(f"{TITLE_MARK}%")) == 200
    assert _count(session, Offer, Offer.title.like(f"{TITLE_MARK}%")) == 2000
    assert _count(session, OfferArea) >= 2000 and _count(session, OfferLanguage) >= 2000
    assert _count(session, NeedLanguage) == counts.need_languages >= 200
    assert _count(session, Organization, Organization.name.like("Synthetic %")) == counts.organizations


def test_generation_is_deterministic_for_a_seed():
    first, second, other = generate(200, 2000, 7), generate(200, 2000, 7), generate(200, 2000, 8)
    for table in ("needs", "offers", "offer_areas", "offer_languages", "need_languages"):
        for column, values in getattr(first, table).items():
            assert np.array_equal(values, getattr(second, table)[column]), (table, column)
    assert not np.array_equal(first.offers["from_day"], other.offers["from_day"])


def test_loading_again_refuses_and_replacing_gives_the_same_marketplace(session):
    load_synthetic(session, needs=200, offers=2000, seed=7)
    before = _fingerprint(session)
    with pytest.raises(Conflict):
        load_synthetic(session, needs=200, offers=2000, seed=7)
    load_synthetic(session, needs=200, offers=2000, seed=7, replace=True)
    assert _count(session, Need, Need.title.like(f"{TITLE_MARK}%")) == 200
    assert _count(session, Offer, Offer.title.like(f"{TITLE_MARK}%")) == 2000
    assert _fingerprint(session) == before


def test_individual_synthetic_experts_have_a_nationality_and_a_name(session):
    load_synthetic(session, needs=50, offers=500, seed=3)
    missing = _count(session, Offer, Offer.kind == "individual_expert",
                     (Offer.expert_name.is_(None)) | (Offer.nationality_iso3.is_(None)))
    assert missing == 0
