"""The archive's name policy in code: which dot separates the parts of a name.

README, "Names", states the policy. A name written in katakana separates its parts
with the katakana middle dot ・ (U+30FB), as Japanese writes foreign names; a name
written in Chinese characters uses the interpunct · (U+00B7), the 间隔号 of the
national punctuation standard GB/T 15834-2011; a name in Latin letters uses spaces.
A name copied as a source writes it (``PersonName.Kind.AS_WRITTEN``) is exempt: it is
kept verbatim, whatever dot it uses.

This module imports no models: models import it.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KATAKANA_DOT = "\u30fb"  # ・
CHINESE_DOT = "\u00b7"  # ·
# Every character used as a name dot in the wild (U+FF65 halfwidth katakana, U+2027
# hyphenation point (Taiwan), U+2022 bullet, U+22C5 dot operator, U+0387 Greek ano
# teleia) besides the two above.
NAME_DOTS = frozenset("\u00b7\u30fb\uff65\u2027\u2022\u22c5\u0387")

LATIN, KANA, HAN = "Latn", "Kana", "Hani"
SEPARATOR = {KANA: KATAKANA_DOT, HAN: CHINESE_DOT, LATIN: " "}

# Hiragana and katakana, not the dots U+30FB and U+FF65 (Chinese sources use U+30FB).
_KANA = re.compile(
    r"[\u3041-\u3096\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def script(name: str) -> str:
    """The script a name is written in: katakana (any kana), else Han, else Latin."""
    if _KANA.search(name):
        return KANA
    if _HAN.search(name):
        return HAN
    return LATIN


def dots_in(name: str) -> set[str]:
    """The name dots ``name`` uses."""
    return {char for char in name if char in NAME_DOTS}


def wrong_dots(name: str) -> set[str]:
    """The dots in ``name`` that its script's convention does not use."""
    return dots_in(name) - {SEPARATOR[script(name)]}


def dot_name(char: str) -> str:
    """``U+30FB ・`` for messages."""
    return f"U+{ord(char):04X} {char} ({unicodedata.name(char, '?').lower()})"


def with_policy_dots(name: str) -> str:
    """``name`` with every name dot replaced by its script's convention (a Latin
    name keeps its dots: no convention replaces them)."""
    separator = SEPARATOR[script(name)]
    if separator == " ":
        return name
    return "".join(separator if char in NAME_DOTS else char for char in name)


def policy_error(name: str) -> ValidationError | None:
    """The form error for a name whose dots break the policy, or None."""
    wrong = wrong_dots(name)
    if not wrong:
        return None
    separator = SEPARATOR[script(name)]
    return ValidationError(
        _(
            "“%(name)s” uses %(wrong)s; names in this script use %(right)s "
            "(README, “Names”). Record a source's own spelling as an other name "
            "“As written in a source”."
        ),
        code="name_dot",
        params={
            "name": name,
            "wrong": ", ".join(sorted(dot_name(char) for char in wrong)),
            "right": dot_name(separator) if separator != " " else _("spaces"),
        },
    )
