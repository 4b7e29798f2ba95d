"""EDTF dates: validation, sort keys, display at their real precision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.dates import edtf_range, format_edtf, validate_edtf


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("1993-04", datetime.date(1993, 4, 1), datetime.date(1993, 4, 30)),
        ("2011/2016", datetime.date(2011, 1, 1), datetime.date(2016, 12, 31)),
        ("2015-11~", datetime.date(2015, 11, 1), datetime.date(2015, 11, 30)),
        ("2024-12-20", datetime.date(2024, 12, 20), datetime.date(2024, 12, 20)),
        ("1993", datetime.date(1993, 1, 1), datetime.date(1993, 12, 31)),
        ("", None, None),
    ],
)
def test_sort_keys_cover_the_whole_period(value, start, end):
    dates = edtf_range(value)
    assert (dates.start, dates.end) == (start, end)


@pytest.mark.parametrize("value", ["bad", "1993-13", "2016-02-30x", "April 1993"])
def test_invalid_edtf_is_a_validation_error(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_edtf(value)
    assert excinfo.value.code == "invalid_edtf"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", "1993-04", "April 1993"),
        ("ja", "1993-04", "1993年4月"),
        ("zh-hans", "1993-04", "1993年4月"),
        ("en", "2024-12-20", "Dec. 20, 2024"),
        ("ja", "2024-12-20", "2024年12月20日"),
        ("en", "1993", "1993"),
    ],
)
def test_display_keeps_the_precision_the_source_gives(language, value, expected):
    with translation.override(language):
        assert format_edtf(value) == expected


def test_month_precision_never_invents_a_day():
    with translation.override("en"):
        text = format_edtf("1993-04")
    assert "1," not in text and "01" not in text


def test_intervals_and_approximations_are_marked():
    with translation.override("en"):
        assert format_edtf("2011/2016") == "2011 – 2016"
        assert format_edtf("2015-11~").startswith("c. ")
        assert format_edtf("2015-07?").endswith("(uncertain)")
        assert format_edtf("2016/..") == "from 2016"
    # A form the formatter does not know is shown as written, never guessed at.
    assert format_edtf("2015-21") == "2015-21"
