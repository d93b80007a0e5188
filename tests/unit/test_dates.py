from datetime import UTC, date, datetime, timedelta, timezone

from capmatch.web.dates import day, moment, month


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
