"""axe-core finds nothing wrong on any page, in every interface language.

People reach the commons with screen readers, magnifiers and high-contrast settings; axe
checks what a machine can (contrast, names, labels, landmarks, heading order, ids).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from lbs.i18n import LANGUAGES
from tests.e2e.sample_commons import PAGES, show

AXE = Axe()
# WCAG 2.0 to 2.2, A and AA, and axe's best practices. Asking by tag also turns on
# target-size (WCAG 2.2), which axe leaves off by default: on the small touch screens this
# commons is for, links and buttons too small or too close together get tapped wrongly.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice",
    ]},
    "resultTypes": ["violations"],
}


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations(open_page, sample_site, name, language):
    page = open_page(PAGES[name], language=language)
    show(page, sample_site, name)
    assert page.locator("html").get_attribute("lang") == language

    results = AXE.run(page, options=AXE_OPTIONS)

    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations_on_a_phone(open_page, sample_site, name):
    """Layout changes at 360 px (stacked tables, a filter grid), and so may contrast and
    target sizes."""
    page = open_page(PAGES[name], width=360, height=740)
    show(page, sample_site, name)

    results = AXE.run(page, options=AXE_OPTIONS)

    assert results.violations_count == 0, results.generate_report()
