"""EDTF dates: validation, sort keys, display at their real precision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.dates import _parse, edtf_range, format_edtf, validate_edtf
from archive.templatetags.archive_tags import edtf_datetime
from tests.factories import make_event

D = datetime.date


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("1993-04", D(1993, 4, 1), D(1993, 4, 30)),
        ("2011/2016", D(2011, 1, 1), D(2016, 12, 31)),
        ("2015-11~", D(2015, 11, 1), D(2015, 11, 30)),
        ("2024-12-20", D(2024, 12, 20), D(2024, 12, 20)),
        ("1993", D(1993, 1, 1), D(1993, 12, 31)),
        ("2024-12-XX", D(2024, 12, 1), D(2024, 12, 31)),
        ("201X", D(2010, 1, 1), D(2019, 12, 31)),
        ("2012-41", D(2012, 7, 1), D(2012, 12, 31)),
        ("2015-33", D(2015, 1, 1), D(2015, 3, 31)),
        ("[2016..2018]", D(2016, 1, 1), D(2018, 12, 31)),
        ("[2024-12-21..2024-12-31]", D(2024, 12, 21), D(2024, 12, 31)),
        # Open and unknown ends stay unknown: no invented ten-year margin.
        ("2016/..", D(2016, 1, 1), None),
        ("../2018", None, D(2018, 12, 31)),
        ("2016/", D(2016, 1, 1), None),
        ("/2018", None, D(2018, 12, 31)),
        ("", None, None),
    ],
)
def test_sort_keys_cover_the_whole_period(value, start, end):
    dates = edtf_range(value)
    assert (dates.start, dates.end) == (start, end)


@pytest.mark.parametrize(
    "value", ["bad", "1993-13", "2016-02-30x", "April 1993", "2012-42"]
)
def test_invalid_edtf_is_a_validation_error(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_edtf(value)
    assert excinfo.value.code == "invalid_edtf"


@pytest.mark.parametrize("value", ["2024-12-2X", "[..2016]", "2016-XX-20"])
def test_edtf_the_site_cannot_put_in_words_is_refused(value):
    # Valid EDTF for the edtf package, but it would be shown as its raw code.
    assert _parse(value) is not None
    with pytest.raises(ValidationError) as excinfo:
        validate_edtf(value)
    assert excinfo.value.code == "unsupported_edtf"
    with translation.override("en"):
        assert "cannot show it in words" in excinfo.value.messages[0]


def test_a_qualifier_on_a_grouping_is_not_edtf_for_the_package():
    # edtf 5.0.2 parses no "~" on a quarter: "early 2015" is stored as 2015-33.
    with pytest.raises(ValidationError):
        validate_edtf("2015-33~")


def test_undated_is_valid_and_shown_as_nothing():
    validate_edtf("")
    assert format_edtf("") == ""


def test_each_value_is_parsed_once():
    _parse.cache_clear()
    edtf_range.cache_clear()  # itself cached: its first call parses
    validate_edtf("2012-41")
    edtf_range("2012-41")
    format_edtf("2012-41")
    info = _parse.cache_info()
    assert (info.misses, info.hits) == (1, 2)


#: Every form the site supports, in en / ja / zh-hans.
FORMS = [
    ("1993", "1993", "1993年", "1993年"),
    ("1993-04", "April 1993", "1993年4月", "1993年4月"),
    ("2024-12-20", "Dec. 20, 2024", "2024年12月20日", "2024年12月20日"),
    ("2015-11~", "c. November 2015", "2015年11月頃", "约2015年11月"),
    ("2015-07?", "July 2015 (uncertain)", "2015年7月（推定）", "2015年7月（存疑）"),
    ("1998%", "c. 1998 (uncertain)", "1998年頃（推定）", "约1998年（存疑）"),
    (
        "2024-12-XX",
        "December 2024 (day unknown)",
        "2024年12月（日不明）",
        "2024年12月（具体日期不详）",
    ),
    ("2012-XX", "2012 (month unknown)", "2012年（月不明）", "2012年（月份不详）"),
    ("201X", "the 2010s", "2010年代", "2010年代"),
    ("19XX", "the 1900s", "1900年代", "1900年代"),
    ("2012-40", "first half of 2012", "2012年前半", "2012年上半年"),
    ("2012-41", "second half of 2012", "2012年後半", "2012年下半年"),
    (
        "2015-33",
        "early 2015 (first quarter)",
        "2015年初頭（第1四半期）",
        "2015年初（第一季度）",
    ),
    ("2015-34", "second quarter of 2015", "2015年第2四半期", "2015年第二季度"),
    ("2015-35", "third quarter of 2015", "2015年第3四半期", "2015年第三季度"),
    (
        "2015-36",
        "late 2015 (fourth quarter)",
        "2015年の終わりごろ（第4四半期）",
        "2015年末（第四季度）",
    ),
    ("2015-37", "January – April 2015", "2015年1月～4月", "2015年1月至4月"),
    ("2015-38", "May – August 2015", "2015年5月～8月", "2015年5月至8月"),
    ("2015-39", "September – December 2015", "2015年9月～12月", "2015年9月至12月"),
    ("2015-21", "spring 2015", "2015年春", "2015年春季"),
    ("2015-22", "summer 2015", "2015年夏", "2015年夏季"),
    ("2015-23", "autumn 2015", "2015年秋", "2015年秋季"),
    ("2015-24", "winter 2015", "2015年冬", "2015年冬季"),
    (
        "2015-25",
        "spring 2015 (Northern Hemisphere)",
        "2015年春（北半球）",
        "2015年春季（北半球）",
    ),
    (
        "2015-31",
        "autumn 2015 (Southern Hemisphere)",
        "2015年秋（南半球）",
        "2015年秋季（南半球）",
    ),
    (
        "[2016..2018]",
        "one of 2016, 2017 or 2018",
        "2016年、2017年または2018年のいずれか",
        "2016年、2017年或2018年中的某一个",
    ),
    (
        "[2016,2018]",
        "one of 2016 or 2018",
        "2016年または2018年のいずれか",
        "2016年或2018年中的某一个",
    ),
    (
        "[1990..2010]",
        "one year from 1990 to 2010",
        "1990年から2010年までのいずれかの年",
        "1990年至2010年之间的某一年",
    ),
    (
        "[2024-12-21..2024-12-31]",
        "one day between Dec. 21, 2024 and Dec. 31, 2024",
        "2024年12月21日から2024年12月31日までのいずれかの日",
        "2024年12月21日至2024年12月31日之间的某一天",
    ),
    (
        "[2016-01..2016-06]",
        "one month between January 2016 and June 2016",
        "2016年1月から2016年6月までのいずれかの月",
        "2016年1月至2016年6月之间的某一个月",
    ),
    (
        "{2016..2018}",
        "2016, 2017 and 2018",
        "2016年、2017年および2018年",
        "2016年、2017年和2018年",
    ),
    ("2011/2016", "2011 – 2016", "2011年 – 2016年", "2011年 – 2016年"),
    ("2016/..", "from 2016", "2016年以降", "2016年起"),
    ("../2018", "until 2018", "2018年まで", "至2018年"),
    (
        "2016/",
        "from 2016 (end unknown)",
        "2016年以降（終了時期不明）",
        "2016年起（结束时间不详）",
    ),
    (
        "/2018",
        "until 2018 (start unknown)",
        "2018年まで（開始時期不明）",
        "至2018年（起始时间不详）",
    ),
]


@pytest.mark.parametrize(("value", "en", "ja", "zh"), FORMS)
def test_every_supported_form_in_words_in_three_languages(value, en, ja, zh):
    validate_edtf(value)
    for language, expected in (("en", en), ("ja", ja), ("zh-hans", zh)):
        with translation.override(language):
            assert format_edtf(value) == expected, language


def test_month_precision_never_invents_a_day():
    with translation.override("en"):
        text = format_edtf("1993-04")
    assert "1," not in text and "01" not in text


def test_a_form_the_formatter_does_not_know_is_shown_as_written():
    # Never guessed at (and the validator keeps such values out of the archive).
    assert format_edtf("2024-12-2X") == "2024-12-2X"


@pytest.mark.django_db
def test_an_event_the_sources_do_not_date_stays_undated():
    event = make_event(key="undated", date="")
    event.full_clean()
    assert (event.date_start, event.date_end, event.year) == (None, None, None)
    assert event.date_display == ""
    event.date = "2024-12-2X"
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    with translation.override("en"):
        assert "cannot show it in words" in excinfo.value.message_dict["date"][0]


@pytest.mark.parametrize(
    ("value", "machine"),
    [
        ("1993-04", "1993-04"),
        ("2024-12-20", "2024-12-20"),
        ("2012-41", ""),
        ("2015-33", ""),
    ],
)
def test_only_real_months_become_html_datetime_values(value, machine):
    # <time datetime="2012-41"> is invalid HTML: a grouping is words only.
    assert edtf_datetime(value) == machine
