"""The front page of a fresh installation, as README.md shows it.

The pictures are committed, so they are viewport-sized (not whole pages) to stay small; a
run that changes the front page's look refreshes them.
"""

from pathlib import Path

import pytest

README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "static" / "screenshots"
VIEWPORTS = {360: 740, 1280: 800}


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_front_page_with_the_starter_commons(browser, server, runner, width):
    result = runner.invoke(args=["lbs", "load-starter"])
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/")
        assert page.locator("main li a").count() >= 10, "the starter commons is not shown"

        README_SCREENSHOTS.mkdir(exist_ok=True)
        path = README_SCREENSHOTS / f"home-{width}.png"
        page.screenshot(path=path)
    finally:
        context.close()

    assert 0 < path.stat().st_size < 300_000
