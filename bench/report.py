"""The bench's results as a Markdown table, with each missed target flagged.

Pages are compared between the smallest and the largest size measured (``seed``
and ``10000`` by default). A row is flagged when the large median is over
``SLOWER`` × the small one, when the query counts differ, when any size's HTML is
over ``MAX_KB``, or when a page did not answer 200.
"""

from __future__ import annotations

from bench.data import size_label

SLOWER = 1.5
MAX_KB = 100
KB = 1024


def flags(rows: list[dict | None]) -> list[str]:
    """What is wrong with one page across sizes (``rows`` smallest size first)."""
    found = []
    present = [row for row in rows if row is not None]
    for row in present:
        if row["status"] != 200:
            status = row["status"]
            found.append(status if isinstance(status, str) else f"HTTP {status}")
            return found
    if len(present) < len(rows):
        found.append("missing at a size")
    if len(rows) > 1 and rows[0] and rows[-1]:
        ratio = growth(rows[0], rows[-1])
        if ratio > SLOWER:
            found.append(f"{ratio:.1f}× slower")
        if rows[0]["queries"] != rows[-1]["queries"]:
            found.append("queries differ")
    if any(row["bytes"] > MAX_KB * KB for row in present):
        found.append(f"> {MAX_KB} KB")
    return found


def growth(small: dict, large: dict) -> float:
    return large["median_ms"] / small["median_ms"] if small["median_ms"] else 0.0


def compare(sizes: dict[str, dict]) -> list[dict]:
    """One entry per page name, in the order first measured, with its flags."""
    names: list[str] = []
    for result in sizes.values():
        for row in result["pages"]:
            if row["name"] not in names:
                names.append(row["name"])
    comparison = []
    for name in names:
        rows = [
            next((row for row in result["pages"] if row["name"] == name), None)
            for result in sizes.values()
        ]
        first, last = rows[0], rows[-1]
        ok = first and last and first["status"] == last["status"] == 200
        comparison.append(
            {
                "name": name,
                "growth": round(growth(first, last), 2) if ok else None,
                "flags": flags(rows),
            }
        )
    return comparison


def _cell(rows: list[dict | None], key: str, fmt) -> str:
    return " / ".join(
        "—" if row is None or row.get(key) is None else fmt(row[key]) for row in rows
    )


def table(sizes: dict[str, dict], comparison: list[dict]) -> str:
    """The Markdown table: floor first, then every page."""
    heads = " / ".join(size_label(size) for size in sizes)
    lines = [
        f"| page | queries {heads} | median ms {heads} | p95 ms {heads} "
        f"| app CPU ms {heads} | × floor {heads} | KB {heads} "
        f"| {size_label(list(sizes)[-1])} ÷ {size_label(list(sizes)[0])} | flags |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    floors = [result["floor"] for result in sizes.values()]
    lines.append(
        f'| floor: `HttpResponse("ok")` | {_cell(floors, "queries", str)} '
        f"| {_cell(floors, 'median_ms', _ms)} | {_cell(floors, 'p95_ms', _ms)} "
        f"| {_cell(floors, 'cpu_median_ms', _ms)} | 1 | {_cell(floors, 'bytes', _kb)} "
        "| | |"
    )
    for entry in comparison:
        rows = [
            next((r for r in result["pages"] if r["name"] == entry["name"]), None)
            for result in sizes.values()
        ]
        samples = {row["samples"] for row in rows if row}
        note = f" (n={min(samples)})" if samples and min(samples) < max(samples) else ""
        growth_text = "—" if entry["growth"] is None else f"{entry['growth']:.2f}"
        flag_text = ", ".join(f"**{flag}**" for flag in entry["flags"])
        lines.append(
            f"| {entry['name']} | {_cell(rows, 'queries', str)} "
            f"| {_cell(rows, 'median_ms', _ms)}{note} | {_cell(rows, 'p95_ms', _ms)} "
            f"| {_cell(rows, 'cpu_median_ms', _ms)} "
            f"| {_cell(rows, 'ratio_to_floor', _times)} | {_cell(rows, 'bytes', _kb)} "
            f"| {growth_text} | {flag_text} |"
        )
    return "\n".join(lines)


# Targets of the search itself at the largest size (issue 10), in ms.
SEARCH_P50 = 20
SEARCH_P95 = 60


def search_table(sizes: dict[str, dict]) -> str:
    """The search itself (no page, no cache): median and p95 per kind of query."""
    runs = [result.get("search") or [] for result in sizes.values()]
    if not any(runs):
        return ""
    heads = " / ".join(size_label(size) for size in sizes)
    lines = [
        f"| search (index query, uncached) | median ms {heads} | p95 ms {heads} "
        f"| hits (max) {heads} | flags |",
        "|---|---|---|---|---|",
    ]
    names = [row["name"] for row in next(run for run in runs if run)]
    for name in names:
        rows = [next((r for r in run if r["name"] == name), None) for run in runs]
        last = rows[-1]
        found = []
        if last and last["median_ms"] > SEARCH_P50:
            found.append(f"median > {SEARCH_P50} ms")
        if last and last["p95_ms"] > SEARCH_P95:
            found.append(f"p95 > {SEARCH_P95} ms")
        lines.append(
            f"| {name} | {_cell(rows, 'median_ms', _ms)} "
            f"| {_cell(rows, 'p95_ms', _ms)} | {_cell(rows, 'hits_max', str)} "
            f"| {', '.join(f'**{flag}**' for flag in found)} |"
        )
    return "\n".join(lines)


def header(meta: dict, sizes: dict[str, dict]) -> str:
    """The run's machine and versions, and each size's rows, above the table."""
    lines = [
        f"Bench {meta['date']} · {meta['cores']} cores (load {meta['load']}) · "
        f"Python {meta['python']} · Django {meta['django']} · "
        + ", ".join(
            sorted(
                {
                    f"{r['database']['vendor']} {r['database']['version']}"
                    for r in sizes.values()
                }
            )
        ),
        f"Median and p95 of up to {meta['repeat']} requests a page "
        f"(budget {meta['budget']:g} s a page, at least 3), languages "
        f"{', '.join(meta['languages'])}.",
    ]
    for size, result in sizes.items():
        rows = ", ".join(f"{n:,} {kind}" for kind, n in result["rows"].items())
        lines.append(f"- {size_label(size)}: {rows}")
        if result.get("skipped"):
            lines.append(f"  (not measured: {', '.join(result['skipped'])})")
    return "\n".join(lines)


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _kb(value: int) -> str:
    return f"{value / KB:,.1f}"


def _times(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"
