"""On a 360 px phone nothing needs sideways scrolling: long addresses and words wrap, and
wide tables scroll inside their own box instead of dragging the whole page along."""

import pytest

from lbs.i18n import LANGUAGES
from tests.e2e.sample_commons import PAGES, show

PHONE = {"width": 360, "height": 740}

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .filter(el => !el.closest('.scroll-x'))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
}"""


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling_at_360_px(open_page, sample_site, name, language):
    # French and Spanish labels run longer than English ones.
    page = open_page(PAGES[name], language=language, **PHONE)
    show(page, sample_site, name)

    found = page.evaluate(OVERFLOW)

    assert found["scrollWidth"] <= found["width"], f"{name} is too wide: {found}"
