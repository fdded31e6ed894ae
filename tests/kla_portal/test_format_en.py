"""In English, dates cannot be read the wrong way round and times use a 24-hour clock."""

import datetime

from django.utils import formats, translation


def test_english_dates_put_the_day_first_with_the_month_in_words():
    saat = datetime.datetime(2026, 12, 2, 22, 34)
    with translation.override("en"):
        assert formats.date_format(saat, "SHORT_DATETIME_FORMAT") == "2 Dec 2026, 22:34"
        assert formats.date_format(saat, "DATETIME_FORMAT") == "2 December 2026, 22:34"
        assert formats.date_format(saat.date(), "SHORT_DATE_FORMAT") == "2 Dec 2026"
        assert formats.time_format(saat.time()) == "22:34"
    with translation.override("id"):
        assert formats.date_format(saat, "SHORT_DATETIME_FORMAT") == "02/12/2026 22.34"


def test_an_english_date_typed_day_first_is_read_day_first():
    with translation.override("en"):
        masukan = formats.get_format("DATE_INPUT_FORMATS")
    assert masukan[:2] == ["%Y-%m-%d", "%d/%m/%Y"]
    assert datetime.datetime.strptime("02/12/2026", masukan[1]).date() == datetime.date(2026, 12, 2)
