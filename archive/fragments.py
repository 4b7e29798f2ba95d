"""The rows of the public lists, rendered once per item, language and edit.

A list page's time grows with its rows: each card or timeline entry is a template
of filters, translations and URL reversals (about 0.3 ms a row here), so a full
page of 24 cost twice a page of 12. The HTML of a row depends only on its item,
what the item shows of its relations (names, sources, counts), the language and
the template: it is cached under the item's key and edit time and the content
version (``archive.counting``), which every save, delete or change of links of any
archive model moves on, as the article page's own content is
(``archive.views.articles``). A page then reads its rows in one ``get_many`` and
renders only those not cached yet, fetching what they show of their relations
(sources, people, counts) for those alone: a page whose rows are all cached reads
only the rows themselves.

Rows are rendered without the request: a row template must not use it (nor CSP
nonces, the user or messages), which keeps a cached row the same for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models import Model
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from archive.counting import COUNT_TIMEOUT, content_version

# As long as a cached count: with the per-process local-memory cache, another
# worker's rows may show a related change (a new link) no later than its counts.
ROW_TIMEOUT = COUNT_TIMEOUT


def _key(template_name: str, options: str, prefix: str, item: Model) -> str:
    stamp = item.updated_at.timestamp() if getattr(item, "updated_at", None) else 0
    return (
        f"{prefix}:{item._meta.label_lower}:{item.pk}:{stamp}:{template_name}:{options}"
    )


def render_rows(
    items: Iterable[Model],
    template_name: str,
    name: str,
    *,
    prepare: Callable[[list[Model]], None] | None = None,
    **extra: object,
) -> list[SafeString]:
    """Each item rendered with ``template_name`` (as ``name``, beside ``extra``),
    from the cache where it is there. ``prepare`` fetches what the template shows
    of the items' relations (prefetches, counts); it is called with the items not
    cached yet, only when there are some."""
    items = list(items)
    if not items:
        return []
    options = ",".join(f"{key}={value}" for key, value in sorted(extra.items()))
    prefix = f"row:{content_version()}:{get_language()}"
    keys = [_key(template_name, options, prefix, item) for item in items]
    found = cache.get_many(keys)
    missing = [item for item, key in zip(items, keys, strict=True) if key not in found]
    if missing and prepare is not None:
        prepare(missing)
    template = get_template(template_name)
    rendered: dict[str, str] = {}
    rows = []
    for item, key in zip(items, keys, strict=True):
        html = found.get(key)
        if html is None:
            html = rendered[key] = template.render({name: item, **extra})
        # Safe: our own template's output, escaped as it was rendered.
        rows.append(mark_safe(html))
    if rendered:
        cache.set_many(rendered, ROW_TIMEOUT)
    return rows
