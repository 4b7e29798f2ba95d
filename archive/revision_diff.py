"""Comparing two versions of an item: field by field, in every language column.

The result is plain data (labels, old and new values, diff segments); the
template escapes it all. Long texts get a line diff, refined word by word (each
CJK character counts as a word) inside changed lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from modeltranslation.translator import NotRegistered, translator
from reversion.models import Version

from archive.revisions import OWNED, PLACED

# A text longer than this, or on several lines, is shown as a diff.
LONG_TEXT = 80
WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+|\s+|.", re.S)

# ("span" | "ins" | "del", text): the HTML element to show the text in.
Segment = tuple[str, str]


@dataclass
class FieldChange:
    """One column that differs: its label, both values, and a diff for long text."""

    name: str
    label: str
    old: str
    new: str
    diff: list[Segment] | None = None


@dataclass
class RowChange:
    """A related row (reference, translation record, image, link) that differs."""

    kind: str
    state: str  # "added", "removed" or "changed"
    label: str
    fields: list[FieldChange] = field(default_factory=list)


def words(text: str) -> list[str]:
    """Latin words, runs of white space, and every other character on its own."""
    return WORD.findall(text)


def text_diff(old: str, new: str) -> list[Segment]:
    """Segments turning ``old`` into ``new``: lines first, then words inside them."""
    segments: list[Segment] = []
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = "".join(old_lines[a1:a2]), "".join(new_lines[b1:b2])
        if op == "equal":
            segments.append(("span", before))
        elif op == "replace":
            segments.extend(_word_diff(before, after))
        else:
            segments.append(("del", before) if before else ("ins", after))
    return _merge(segments)


def _word_diff(old: str, new: str) -> list[Segment]:
    a, b = words(old), words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("span", "".join(a[a1:a2])))
            continue
        if a1 < a2:
            segments.append(("del", "".join(a[a1:a2])))
        if b1 < b2:
            segments.append(("ins", "".join(b[b1:b2])))
    return segments


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for kind, text in segments:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        elif text:
            merged.append((kind, text))
    return merged


def show(value: Any) -> str:
    """A stored value as text (empty for none)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in sorted(value, key=str))
    return str(value)


def field_changes(
    model: type[models.Model], old: dict[str, Any], new: dict[str, Any]
) -> list[FieldChange]:
    """Every field (every language column of a translated one) whose value differs."""
    changes = []
    for model_field in model._meta.get_fields():
        name = getattr(model_field, "attname", None)
        if name is None or name not in old.keys() | new.keys():
            continue
        if _is_translated_original(model, model_field.name):
            continue  # its language columns (title_en, …) are compared instead
        before, after = show(old.get(name)), show(new.get(name))
        if before == after:
            continue
        long = max(len(before), len(after)) > LONG_TEXT or "\n" in before + after
        changes.append(
            FieldChange(
                name=model_field.name,
                label=str(model_field.verbose_name),
                old=before,
                new=after,
                diff=text_diff(before, after) if long else None,
            )
        )
    return changes


def _is_translated_original(model: type[models.Model], name: str) -> bool:
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return False
    return name in options.all_fields


def related_versions(version: Version) -> dict[tuple[int, str], Version]:
    """The versions of the rows ``version``'s item holds in the same revision."""
    model = version._model
    relations = (*OWNED.get(model, ()), *PLACED.get(model, ()))
    related_models = {
        model._meta.get_field(name).related_model: model._meta.get_field(name)
        for name in relations
    }
    found = {}
    for other in version.revision.version_set.all():
        other_model = other._model
        relation = related_models.get(other_model)
        if relation is None:
            continue
        owner = other._local_field_dict.get(relation.field.attname)
        if str(owner) == str(version.object_id):
            found[(other.content_type_id, other.object_id)] = other
    return found


def row_changes(old: Version, new: Version) -> list[RowChange]:
    """Related rows added, removed or changed between the two versions."""
    before, after = related_versions(old), related_versions(new)
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], int(k[1]))):
        was, now = before.get(key), after.get(key)
        sample = now or was
        kind = str(sample._model._meta.verbose_name)
        if was is None:
            changes.append(RowChange(kind, "added", now.object_repr))
        elif now is None:
            changes.append(RowChange(kind, "removed", was.object_repr))
        else:
            fields = field_changes(
                sample._model, was._local_field_dict, now._local_field_dict
            )
            if fields:
                changes.append(RowChange(kind, "changed", now.object_repr, fields))
    return changes


def compare(old: Version, new: Version) -> tuple[list[FieldChange], list[RowChange]]:
    """What differs between two versions of one item: its fields and related rows."""
    return (
        field_changes(old._model, old._local_field_dict, new._local_field_dict),
        row_changes(old, new),
    )
