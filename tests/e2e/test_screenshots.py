"""Pictures of the main pages on a phone and on a laptop, for people to look at.

They go to tests/e2e/screenshots/ (not committed). A page that fails to render, or renders
an error page, fails here rather than producing a picture nobody checks.
"""

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.sample_commons import PAGES, show

MAIN_PAGES = ("home", "hubs", "entry", "proposal", "moderation-queue")
WIDTHS = {360: 740, 1280: 900}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", MAIN_PAGES)
def test_a_screenshot_of_each_main_page(open_page, sample_site, name, width):
    page = open_page(PAGES[name], width=width, height=WIDTHS[width])
    show(page, sample_site, name)
    assert page.locator("main h1").first.is_visible()
    assert not page.locator("main .error").count()

    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True)

    assert path.stat().st_size > 0
