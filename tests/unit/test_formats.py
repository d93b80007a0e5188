from datetime import UTC, date, datetime, timedelta, timezone

from capmatch.i18n import use
from capmatch.i18n.formats import day, moment, month, number, percent


def test_a_day_reads_as_people_write_it_without_a_leading_zero():
    assert day(date(2026, 12, 2)) == "2 Dec 2026"
    assert day(date(2027, 3, 15)) == "15 Mar 2027"


def test_a_moment_is_shown_in_utc_whatever_zone_it_was_stored_in():
    nairobi = timezone(timedelta(hours=3))
    assert moment(datetime(2026, 12, 3, 1, 30, tzinfo=nairobi)) == "2 Dec 2026, 22:30 UTC"
    assert moment(datetime(2026, 12, 3, 9, 5, tzinfo=UTC)) == "3 Dec 2026, 09:05 UTC"
    assert day(datetime(2026, 12, 3, 1, 30, tzinfo=nairobi)) == "2 Dec 2026"


def test_a_month_and_a_missing_date():
    assert month(date(2026, 12, 2)) == "Dec 2026"
    assert (day(None), month(None), moment(None)) == ("—", "—", "—")


def test_french_dates_numbers_and_percentages_are_written_the_french_way():
    with use("fr"):
        assert day(date(2026, 12, 2)) == "2 décembre 2026"
        assert month(date(2026, 12, 2)) == "décembre 2026"
        assert day(date(2027, 3, 1)) == "1er mars 2027"
        assert day(date(2027, 3, 11)) == "11 mars 2027"
        assert moment(datetime(2026, 12, 2, 14, 5, tzinfo=UTC)) == "2 décembre 2026 à 14:05 UTC"
        assert number(28798) == "28\u202f798"
        assert number(2.5, digits=1) == "2,5"
        assert percent(0.954, digits=1) == "95,4\u00a0%"
        assert percent(0.5) == "50\u00a0%"


def test_english_numbers_and_percentages():
    with use("en"):
        assert number(28798) == "28,798"
        assert number(0.6) == "0.6"
        assert percent(0.954, digits=1) == "95.4%"
        assert (number(None), percent(None)) == ("—", "—")


def test_the_language_in_use_ends_with_its_block():
    with use("fr"):
        with use("en"):
            assert day(date(2026, 12, 2)) == "2 Dec 2026"
        assert day(date(2026, 12, 2)) == "2 décembre 2026"
    assert day(date(2026, 12, 2)) == "2 Dec 2026"
