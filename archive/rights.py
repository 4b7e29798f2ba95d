"""Rights statements: the twelve of rightsstatements.org, and the source's own notice.

Every article and image records its rights status as the URI of one of the
standardised statements (https://rightsstatements.org/page/1.0/), "Copyright Not
Evaluated" until someone has evaluated it. The names are the statements' official
English names, translated in the UI catalogues. A source may carry a notice of its
own (a reprint notice): ``find_rights_notice`` finds it, for the importer to quote
verbatim.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

VOCABULARY = "http://rightsstatements.org/vocab/"


class RightsStatement(models.TextChoices):
    """The statements, by their URIs (http, as rightsstatements.org publishes them)."""

    IN_COPYRIGHT = f"{VOCABULARY}InC/1.0/", _("In Copyright")
    EU_ORPHAN_WORK = f"{VOCABULARY}InC-OW-EU/1.0/", _("In Copyright - EU Orphan Work")
    EDUCATIONAL_USE = (
        f"{VOCABULARY}InC-EDU/1.0/",
        _("In Copyright - Educational Use Permitted"),
    )
    NON_COMMERCIAL_USE = (
        f"{VOCABULARY}InC-NC/1.0/",
        _("In Copyright - Non-Commercial Use Permitted"),
    )
    RIGHTS_HOLDER_UNLOCATABLE = (
        f"{VOCABULARY}InC-RUU/1.0/",
        _("In Copyright - Rights-holder(s) Unlocatable or Unidentifiable"),
    )
    NO_COPYRIGHT_CONTRACTUAL = (
        f"{VOCABULARY}NoC-CR/1.0/",
        _("No Copyright - Contractual Restrictions"),
    )
    NO_COPYRIGHT_NON_COMMERCIAL = (
        f"{VOCABULARY}NoC-NC/1.0/",
        _("No Copyright - Non-Commercial Use Only"),
    )
    NO_COPYRIGHT_OTHER_RESTRICTIONS = (
        f"{VOCABULARY}NoC-OKLR/1.0/",
        _("No Copyright - Other Known Legal Restrictions"),
    )
    NO_COPYRIGHT_US = f"{VOCABULARY}NoC-US/1.0/", _("No Copyright - United States")
    NOT_EVALUATED = f"{VOCABULARY}CNE/1.0/", _("Copyright Not Evaluated")
    UNDETERMINED = f"{VOCABULARY}UND/1.0/", _("Copyright Undetermined")
    NO_KNOWN_COPYRIGHT = f"{VOCABULARY}NKC/1.0/", _("No Known Copyright")


# What nobody has evaluated yet: the default of every record and of every import.
DEFAULT_STATEMENT = RightsStatement.NOT_EVALUATED

# A line of the source that reserves its rights or asks to be asked before reuse
# (Chinese, Japanese, English wordings). Quoted whole, as the source gives it. A
# bare "©" is not enough: WeChat articles end with "© THE END".
_NOTICE_RE = re.compile(
    r"^[^\S\n]*(?P<line>[^\n]*(?:转载|轉載|版权所有|版權所有|無断転載|無断複製|"
    r"all rights reserved|©\s*\d{4})[^\n]*?)[^\S\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


def find_rights_notice(body: str) -> str:
    """The source's own rights or reprint notice, verbatim (its first such line,
    surrounding blanks trimmed), or "" when it has none."""
    match = _NOTICE_RE.search(body)
    return match["line"] if match else ""


def rights_statement_field() -> models.CharField:
    """The field that holds an item's rights statement (articles and images)."""
    return models.CharField(
        _("rights statement"),
        max_length=100,
        choices=RightsStatement.choices,
        default=DEFAULT_STATEMENT,
        help_text=_(
            "One of the rightsstatements.org statements. “Copyright Not "
            "Evaluated” until someone has looked into it."
        ),
    )


def rights_note_field() -> models.TextField:
    return models.TextField(
        _("rights note"),
        blank=True,
        help_text=_(
            "What is known about the rights, and from where: e.g. the source's "
            "own notice, or why the statement was chosen."
        ),
    )


def permission_note_field() -> models.TextField:
    return models.TextField(
        _("permission note"),
        blank=True,
        help_text=_(
            "Who granted the archive what permission, when and how. Empty: no "
            "permission is recorded."
        ),
    )
