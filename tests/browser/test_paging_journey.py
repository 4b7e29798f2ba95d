"""Paging the timeline with the keyboard alone: next page, a decade from the
index, and "go to year"."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.factories import make_event


@pytest.fixture
def timeline(transactional_db):
    """Twelve events a year from 1990 to 2009: eight pages of thirty."""
    for year in range(1990, 2010):
        for month in range(1, 13):
            make_event(key=f"e{year}-{month:02d}", date=f"{year}-{month:02d}")


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement === document.querySelector(s)", selector
        ):
            return
    raise AssertionError(f"{selector} never received the focus")


def test_keyboard_pages_and_jumps_through_the_timeline(page, live_server, timeline):
    page.goto(f"{live_server.url}/en/timeline/")
    assert "Page 1 of 8" in page.locator(".pagination").inner_text()

    tab_to(page, ".pagination a[rel=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).query == "page=2"
    assert "Page 2 of 8" in page.locator(".pagination").inner_text()

    # The index: the 2000s begin on page 5, at their heading.
    tab_to(page, ".year-index a[href$='#year-2000']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).query == "page=5"
    assert urlsplit(page.url).fragment == "year-2000"
    assert page.locator("#year-2000").is_visible()

    # Go to year: typed, then Enter; the page holding 1995 opens at its heading.
    tab_to(page, ".year-jump input[name=year]")
    page.keyboard.type("1995")
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/?page=3#year-1995")
    assert page.locator("#year-1995").is_visible()
    assert "Page 3 of 8" in page.locator(".pagination").inner_text()
