"""EDTF dates: validation, derived sort keys and display at their real precision.

Sources give many dates only to the year or the month ("born April 1993", "at Olin
2011–2016"). They are stored as EDTF strings (Library of Congress Extended
Date/Time Format, parsed by the ``edtf`` package) and never padded to an invented
day. ``format_edtf`` renders the common forms in the active language.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException

_PART = re.compile(
    r"^(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<q>[~?%])?$"
)


@dataclass(frozen=True)
class EDTFRange:
    """The earliest and latest day an EDTF value can mean (for sorting and filters)."""

    start: datetime.date | None
    end: datetime.date | None


def validate_edtf(value: str) -> None:
    """Model-field validator: ``value`` must be a valid EDTF string."""
    if not value:
        return
    try:
        parse_edtf(value)
    except (EDTFParseException, ValueError, TypeError) as exc:
        raise ValidationError(
            gettext_lazy(
                "“%(value)s” is not a valid EDTF date. Use forms such as 1993, "
                "1993-04, 1993-04-20, 2015-11~ (approximate) or 2011/2016 (interval)."
            ),
            code="invalid_edtf",
            params={"value": value},
        ) from exc


def edtf_range(value: str) -> EDTFRange:
    """Sort keys for ``value``: first and last possible day; (None, None) if empty."""
    if not value:
        return EDTFRange(None, None)
    parsed = parse_edtf(value)
    return EDTFRange(
        _to_date(parsed.lower_strict()),
        _to_date(parsed.upper_strict()),
    )


def _to_date(struct) -> datetime.date | None:
    try:
        return struct_time_to_date(struct)
    except (TypeError, ValueError, OverflowError):
        return None


def _format_part(text: str) -> str | None:
    if text in ("", ".."):
        return ""
    match = _PART.match(text)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if month and not 1 <= int(month) <= 12:
        return None  # seasons (21–24) and other level-2 forms: shown as written
    if day:
        formatted = formats.date_format(
            datetime.date(int(year), int(month), int(day)), "DATE_FORMAT"
        )
    elif month:
        formatted = formats.date_format(
            datetime.date(int(year), int(month), 1), "YEAR_MONTH_FORMAT"
        )
    else:
        formatted = _("%(year)s") % {"year": int(year)}
    qualifier = match["q"]
    if qualifier == "~":
        formatted = _("c. %(date)s") % {"date": formatted}
    elif qualifier == "?":
        formatted = _("%(date)s (uncertain)") % {"date": formatted}
    elif qualifier == "%":
        formatted = _("c. %(date)s (uncertain)") % {"date": formatted}
    return formatted


def format_edtf(value: str) -> str:
    """Render an EDTF string in the active language at the precision it has.

    ``1993-04`` → "April 1993" / "1993年4月"; ``2011/2016`` → "2011 – 2016";
    forms this function does not know are shown as the EDTF text itself.
    """
    if not value:
        return ""
    if "/" in value:
        start_text, _sep, end_text = value.partition("/")
        start, end = _format_part(start_text), _format_part(end_text)
        if start is None or end is None:
            return value
        if not start:
            return _("until %(end)s") % {"end": end}
        if not end:
            return _("from %(start)s") % {"start": start}
        return _("%(start)s – %(end)s") % {"start": start, "end": end}
    part = _format_part(value)
    return value if part is None else part
