"""EDTF dates: validation, derived sort keys and display at their real precision.

Sources give many dates only to the year or the month ("born April 1993", "at Olin
2011–2016"), or only bound them ("a few days" before 1 January 2025). They are stored
as EDTF strings (Library of Congress Extended Date/Time Format, parsed by the ``edtf``
package) and never padded to an invented day. An empty value means *undated*.

Supported, and shown in words in every language of the site (``format_edtf``):

- ``1993``, ``1993-04``, ``2024-12-20``, each optionally qualified: ``?`` uncertain,
  ``~`` approximate, ``%`` both;
- unspecified digits: ``2024-12-XX`` (day unknown), ``2012-XX`` (month unknown),
  ``201X`` (a decade), ``19XX`` (a century);
- sub-year groupings (EDTF level 2): seasons ``21``–``32``, quarters ``33``–``36``,
  four-month spans ``37``–``39``, halves ``40``–``41`` (``2012-41``: second half);
- one-of sets ``[2016..2018]``, ``[2024-12-21..2024-12-31]``, ``[2016,2018]`` (one
  date, not known which) and sets of all ``{2016,2018}``;
- intervals ``2011/2016``, with open (``2016/..``) or unknown (``2016/``) ends.

Anything else the ``edtf`` package parses is refused by the validator, so a value
the site stores is never shown as its raw code. ``edtf`` 5.0.2 parses no qualifier on
a grouping (``2015-33~`` is an error), so "early 2015" is stored as its first quarter.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import Date

_PART = re.compile(
    r"^(?P<year>-?\d{4}|\d{3}X|\d{2}XX)"
    r"(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?P<q>[~?%])?$"
)
_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_RANGE = re.compile(r"^(?P<start>[^.]+)\.\.(?P<end>[^.]+)$")
#: A one-of range of years this long or shorter is listed year by year.
_LIST_YEARS = 6


@dataclass(frozen=True)
class EDTFRange:
    """The earliest and latest day an EDTF value can mean (for sorting and filters)."""

    start: datetime.date | None
    end: datetime.date | None


# Parsing costs 3–4 ms; an archive holds a few thousand distinct values (each a
# short string and a small object), so all of them stay parsed.
@functools.lru_cache(maxsize=65536)
def _parse(value: str) -> object | None:
    """The ``edtf`` object for ``value``, or None if it is not EDTF (parsed once)."""
    plain = _PLAIN.match(value)
    if plain and _real_day(*plain.groups()):
        # A plain year, month or day: the very object the grammar builds, without
        # its 3–4 ms of parsing (most of an archive's dates are of this kind).
        return Date(*plain.groups())
    try:
        return parse_edtf(value)
    except (EDTFParseException, ValueError, TypeError):
        return None


def _real_day(year: str, month: str | None, day: str | None) -> bool:
    """True if the parts name a real year, month or calendar day."""
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def validate_edtf(value: str) -> None:
    """Model-field validator: ``value`` is empty (undated) or EDTF the site can show."""
    if not value:
        return
    if _parse(value) is None:
        raise ValidationError(
            gettext_lazy(
                "“%(value)s” is not a valid EDTF date. Use forms such as 1993, "
                "1993-04, 1993-04-20, 2015-11~ (approximate) or 2011/2016 (interval)."
            ),
            code="invalid_edtf",
            params={"value": value},
        )
    if _describe(value) is None or _safe_range(value) is None:
        raise ValidationError(
            gettext_lazy(
                "“%(value)s” is valid EDTF, but the archive cannot show it in words. "
                "Use a year, month or day (with ~ ? or %%), 2024-12-XX, 2012-41 "
                "(second half), [2016..2018] (one of) or an interval such as 2016/.."
            ),
            code="unsupported_edtf",
            params={"value": value},
        )


@functools.lru_cache(maxsize=65536)
def edtf_range(value: str) -> EDTFRange:
    """Sort keys for ``value``: first and last possible day; (None, None) if undated.

    Open (``..``) and unknown (empty) interval ends give None rather than the
    ``edtf`` package's invented ten-year margin.
    """
    if not value:
        return EDTFRange(None, None)
    dates = _safe_range(value)
    if dates is None:
        raise ValueError(f"not an EDTF date the archive supports: {value!r}")
    return dates


def _safe_range(value: str) -> EDTFRange | None:
    if "/" in value:
        start_text, _sep, end_text = value.partition("/")
        start = _side_range(start_text)
        end = _side_range(end_text)
        if start is None or end is None:
            return None
        return EDTFRange(start.start, end.end)
    return _side_range(value)


def _side_range(text: str) -> EDTFRange | None:
    if text in ("", ".."):
        return EDTFRange(None, None)
    parsed = _parse(text)
    if parsed is None:
        return None
    try:
        return EDTFRange(
            struct_time_to_date(parsed.lower_strict()),
            struct_time_to_date(parsed.upper_strict()),
        )
    except (TypeError, ValueError, OverflowError, AttributeError):
        return None


def format_edtf(value: str) -> str:
    """Render an EDTF string in the active language at the precision it has.

    ``1993-04`` → "April 1993" / "1993年4月"; ``2012-41`` → "second half of 2012" /
    "2012年後半" / "2012年下半年"; ``[2016..2018]`` → "one of 2016, 2017 or 2018".
    A value the validator would refuse is shown as written, never guessed at.
    """
    if not value:
        return ""
    described = _describe(value)
    return value if described is None else described


def _describe(value: str) -> str | None:
    if "/" in value:
        start_text, _sep, end_text = value.partition("/")
        start, end = _format_part(start_text), _format_part(end_text)
        if start is None or end is None or start_text == end_text == "":
            return None
        if start_text == "..":
            return _("until %(end)s") % {"end": end}
        if start_text == "":
            return _("until %(end)s (start unknown)") % {"end": end}
        if end_text == "..":
            return _("from %(start)s") % {"start": start}
        if end_text == "":
            return _("from %(start)s (end unknown)") % {"start": start}
        return _("%(start)s – %(end)s") % {"start": start, "end": end}
    if value[:1] == "[" and value[-1:] == "]":
        return _format_set(value[1:-1], one_of=True)
    if value[:1] == "{" and value[-1:] == "}":
        return _format_set(value[1:-1], one_of=False)
    return _format_part(value)


def _format_set(inner: str, *, one_of: bool) -> str | None:
    items: list[str] = []
    for member in inner.split(","):
        match = _RANGE.match(member)
        if not match:
            text = _format_part(member)
            if not text or member in ("", ".."):
                return None
            items.append(text)
            continue
        start, end = match["start"], match["end"]
        if re.fullmatch(r"\d{4}", start) and re.fullmatch(r"\d{4}", end):
            if not 0 < int(end) - int(start) < _LIST_YEARS:
                if not one_of:
                    return None
                return _("one year from %(start)s to %(end)s") % {
                    "start": _format_part(start),
                    "end": _format_part(end),
                }
            items.extend(
                _format_part(str(year)) for year in range(int(start), int(end) + 1)
            )
            continue
        start_text, end_text = _format_part(start), _format_part(end)
        if not one_of or not start_text or not end_text or len(inner.split(",")) > 1:
            return None
        if start.count("-") == 2:
            phrase = _("one day between %(start)s and %(end)s")
        elif start.count("-") == 1:
            phrase = _("one month between %(start)s and %(end)s")
        else:
            return None
        return phrase % {"start": start_text, "end": end_text}
    if len(items) < 2:
        return None
    listed = _join(items, _("%(items)s or %(last)s") if one_of else None)
    return _("one of %(dates)s") % {"dates": listed} if one_of else listed


def _join(items: list[str], last_pattern: str | None) -> str:
    pattern = last_pattern or _("%(items)s and %(last)s")
    return pattern % {"items": _(", ").join(items[:-1]), "last": items[-1]}


def _format_part(text: str) -> str | None:
    if text in ("", ".."):
        return ""
    match = _PART.match(text)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if "X" in year:
        if month:
            return None
        formatted = _("the %(start)ss") % {"start": year.replace("X", "0")}
    elif month and month != "XX" and 21 <= int(month) <= 41:
        if day:
            return None
        formatted = _format_grouping(int(year), int(month))
    elif month and month != "XX" and not 1 <= int(month) <= 12:
        return None
    elif month == "XX":
        if day and day != "XX":
            return None
        formatted = _("%(year)s (month unknown)") % {"year": _year(year)}
    elif day == "XX":
        formatted = _("%(month)s (day unknown)") % {"month": _month(year, month)}
    elif day:
        try:
            day_date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            return None
        formatted = formats.date_format(day_date, "DATE_FORMAT")
    elif month:
        formatted = _month(year, month)
    else:
        formatted = _year(year)
    qualifier = match["q"]
    if qualifier and month and month != "XX" and int(month) > 12:
        return None  # the edtf package parses no qualifier on a grouping
    if qualifier == "~":
        formatted = _("c. %(date)s") % {"date": formatted}
    elif qualifier == "?":
        formatted = _("%(date)s (uncertain)") % {"date": formatted}
    elif qualifier == "%":
        formatted = _("c. %(date)s (uncertain)") % {"date": formatted}
    return formatted


def _year(year: str) -> str:
    return _("%(year)s") % {"year": int(year)}


def _month(year: str, month: str) -> str:
    return formats.date_format(
        datetime.date(int(year), int(month), 1), "YEAR_MONTH_FORMAT"
    )


def _format_grouping(year: int, code: int) -> str:
    """Seasons (21–32), quarters (33–36), four-month spans (37–39), halves (40–41)."""
    if code <= 32:
        season = (code - 21) % 4
        names = (
            _("spring %(year)s"),
            _("summer %(year)s"),
            _("autumn %(year)s"),
            _("winter %(year)s"),
        )
        text = names[season] % {"year": year}
        if 25 <= code <= 28:
            return _("%(season)s (Northern Hemisphere)") % {"season": text}
        if code >= 29:
            return _("%(season)s (Southern Hemisphere)") % {"season": text}
        return text
    patterns = {
        33: _("early %(year)s (first quarter)"),
        34: _("second quarter of %(year)s"),
        35: _("third quarter of %(year)s"),
        36: _("late %(year)s (fourth quarter)"),
        37: _("January – April %(year)s"),
        38: _("May – August %(year)s"),
        39: _("September – December %(year)s"),
        40: _("first half of %(year)s"),
        41: _("second half of %(year)s"),
    }
    return patterns[code] % {"year": year}
