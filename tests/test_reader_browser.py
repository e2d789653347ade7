"""The site as a reader sees it, in headless Chromium: a phone at 390 px (pages that end
with their content, the navigation and previous/next usable, tap targets of 24 px), dark
mode, formulas offline, search honesty and the glossary in the search."""

from __future__ import annotations

import pytest

from .browser import new_page as _page
from .browser import serve
from .conftest import paper_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# One page of each type.
PAGES = {
    "home": "index.html",
    "paper": "papers/2503.10622.html",
    "paper with a long author list": "papers/2503.07920.html",
    "topic": "topics/interpretability.html",
    "topics": "topics/index.html",
    "digest": "digests/004_ad890f935f0d4d32.html",
    "digests": "digests/index.html",
    "month": "months/2025-03.html",
    "timeline": "months/index.html",
    "glossary": "glossary.html",
    "bibliography": "bibliography.html",
    "search": "search.html?q=%E8%A7%86%E9%A2%91%E7%94%9F%E6%88%90",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_layout(chromium_browser, site_url, name):
    context, page, errors = _page(chromium_browser, viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{site_url}/{PAGES[name]}")
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"
    box = page.locator('header.paperkb-top input[name="q"]').bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900, name
    h1 = page.locator("div.body h1").first.bounding_box()
    assert h1 is not None and h1["y"] < 400, f"{name}: the title starts {h1['y']}px down"
    if name.startswith("paper"):
        copy = page.locator("button.copybtn").first
        copy.wait_for(state="attached")
        assert float(copy.evaluate("b => getComputedStyle(b).opacity")) >= 0.5
        assert copy.is_visible()
    assert not errors, errors
    context.close()


# Where a page's content ends (its text, previous/next, the navigation block) and whether
# the navigation and previous/next are laid out: a float that outgrew its bar once squeezed
# the sidebar to 0 px, its links a character wide, and left 2,000 px of blank page.
_ENDS = """() => {
  const box = (element) => element.getBoundingClientRect();
  const bottom = (selector) => Math.max(0, ...[...document.querySelectorAll(selector)]
    .filter((element) => element.getClientRects().length)
    .map((element) => box(element).bottom + window.scrollY));
  const bar = document.querySelector('div.related.bottom');
  const nav = document.querySelector('div.sphinxsidebar ul.paperkb-sitenav');
  const outside = (link) => {  // the link's box, or its text overflowing it
    const a = box(link), b = box(bar);
    return a.top < b.top - 0.5 || a.bottom > b.bottom + 0.5
      || a.left < b.left - 0.5 || a.right > b.right + 0.5 || link.scrollWidth > link.clientWidth + 1;
  };
  return {
    height: document.documentElement.scrollHeight,
    content: Math.max(bottom('div.body'), bottom('div.related.bottom'), bottom('ul.paperkb-sitenav')),
    sidebar: box(document.querySelector('div.sphinxsidebar')).width,
    nav: box(nav).height,
    links: [...nav.querySelectorAll('a')].map((a) => [a.textContent, box(a).width, box(a).height]),
    outside: [...document.querySelectorAll('nav#rellinks a')].filter(outside)
      .map((a) => a.textContent.slice(0, 40)),
  };
}"""


def _check_page_ends_with_its_content(page, name: str) -> None:
    ends = page.evaluate(_ENDS)
    blank = ends["height"] - ends["content"]
    assert blank < PHONE["height"], f"{name}: {blank:.0f}px of blank page after the content"
    # The navigation block: as wide as the page, its links on one line each.
    assert ends["sidebar"] >= 300, f"{name}: the navigation is {ends['sidebar']:.0f}px wide"
    assert ends["nav"] < 400, f"{name}: the navigation is {ends['nav']:.0f}px tall"
    squeezed = [link for link in ends["links"] if link[1] < 30 or link[2] > 48]
    assert not squeezed, f"{name}: navigation links squeezed: {squeezed}"
    # Previous/next wrap inside their bar.
    assert not ends["outside"], f"{name}: previous/next links outside their bar: {ends['outside']}"


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_page_ends_with_its_content(chromium_browser, site_url, name):
    """At 390 px no page scrolls on past its content; the navigation and previous/next stay usable."""
    context, page, errors = _page(chromium_browser, viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{site_url}/{PAGES[name]}")
    page.wait_for_load_state("load")
    _check_page_ends_with_its_content(page, name)
    assert not errors, errors
    context.close()


# Pages next to a paper whose title is 18,000 characters long: their previous/next bar holds it.
HOSTILE_PAGES = ["papers/2503.99201.html", "papers/2503.99204.html", "topics/other.html"]


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with serve(hostile_site) as url:
        yield url


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_phone_page_with_a_long_neighbour_title(chromium_browser, hostile_url, path):
    context, page, errors = _page(chromium_browser, viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{hostile_url}/{path}")
    page.wait_for_load_state("load")
    assert page.locator("nav#rellinks a").count() >= 1, path
    _check_page_ends_with_its_content(page, path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path}: {overflow}px wider than the screen"
    assert not errors, errors
    context.close()


# What a reader taps, and how tall it must be: 24 px is WCAG 2.2's minimum target size (2.5.8);
# a topic chip is about 32 px on a phone, and not much more, so that card lists stay compact.
_TARGETS = ["ul.paperkb-chips a", "div.paperkb-topic-cards a", "ul.paperkb-sitenav a",
            "nav#rellinks a", "nav.paperkb-topnav a", "button.paperkb-theme-toggle",
            "ul.no-search > li > p > a:first-child", "p.no-search > a:only-child",
            "div.paperkb-filter button"]
_HEIGHTS = """selectors => Object.fromEntries(selectors.map((selector) => [selector,
  [...document.querySelectorAll(selector)].filter((element) => element.getClientRects().length)
    .map((element) => element.getBoundingClientRect().height)]))"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_tap_targets_are_at_least_24px_tall(chromium_browser, site_url, viewport):
    phone = viewport is PHONE
    context, page, _ = _page(chromium_browser, viewport=viewport, has_touch=phone, is_mobile=phone)
    for path in (PAGES["home"], PAGES["paper"]):
        page.goto(f"{site_url}/{path}")
        heights = page.evaluate(_HEIGHTS, _TARGETS)
        if path == PAGES["home"]:
            assert len(heights["ul.paperkb-chips a"]) >= 20 and heights["div.paperkb-topic-cards a"]
            assert heights["ul.no-search > li > p > a:first-child"] and heights["div.paperkb-filter button"]
        for selector, found in heights.items():
            small = [round(height, 1) for height in found if height < 24]
            assert not small, f"{path} at {viewport['width']}px: {selector} only {small} px tall"
        chips = heights["ul.paperkb-chips a"]
        if chips:
            assert max(chips) <= 40, f"chips {max(chips):.1f}px tall"
            if phone:
                assert min(chips) >= 28, f"chips {min(chips):.1f}px tall on a phone"
    context.close()


def _luminance(rgb: str) -> float:
    r, g, b = (int(part) for part in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("name", ["home", "paper", "glossary", "search"])
def test_dark_mode_follows_the_system_and_the_toggle(chromium_browser, site_url, name):
    context, page, errors = _page(chromium_browser, color_scheme="dark")
    page.goto(f"{site_url}/{PAGES[name]}")
    background = "getComputedStyle(document.querySelector('div.body')).backgroundColor"
    assert _luminance(page.evaluate(background)) < 60
    page.locator("button.paperkb-theme-toggle").click()  # to light, remembered
    assert _luminance(page.evaluate(background)) > 200
    page.goto(f"{site_url}/{PAGES['paper']}")
    assert _luminance(page.evaluate(background)) > 200
    assert not errors, errors
    context.close()


def test_formula_is_mathml_offline(chromium_browser, seeds_site):
    """From file:// with every network request refused: the DyT formula is typeset MathML."""
    context, page, errors = _page(chromium_browser)
    page.route("http://*/**", lambda route: route.abort())
    page.route("https://*/**", lambda route: route.abort())
    page.goto((paper_page(seeds_site, "2503.10622")).as_uri())
    formula = page.locator("section#abstract math").first
    assert formula.get_attribute("alttext") == r"DyT(x) = \tanh(\alpha x)"
    box = formula.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 5  # laid out as math
    text = page.locator("section#abstract").inner_text()
    assert "\\tanh" not in text and "\\(" not in text
    assert not errors, errors
    context.close()


def test_long_author_list_folds_and_expands(chromium_browser, site_url):
    context, page, _ = _page(chromium_browser)
    page.goto(f"{site_url}/{PAGES['paper with a long author list']}")
    button = page.locator("p.paperkb-authors button.paperkb-more")
    assert "more" in button.inner_text()
    button.click()
    assert page.locator("p.paperkb-authors button").count() == 0
    context.close()


def _search(page, site_url, query):
    page.goto(f"{site_url}/search.html?q={query}")
    page.wait_for_function("() => document.querySelector('#search-results p.search-summary')?.textContent")
    return page.eval_on_selector_all("#search-results ul.search li > a",
                                     "links => links.map(a => a.getAttribute('href'))")


def test_search_names_what_matched_nothing(chromium_browser, site_url):
    context, page, _ = _page(chromium_browser)
    results = _search(page, site_url, "量子计算")
    assert results
    note = page.locator("#paperkb-missing").inner_text()
    assert "没有找到「量子」" in note and "只匹配「计算」" in note
    _search(page, site_url, "视频生成")
    assert page.locator("#paperkb-missing").count() == 0
    context.close()


@pytest.mark.parametrize(("query", "paper"), [
    # Its English title says Reinforcement Learning; 2503.07536's says 强化学习 and RL (a
    # synonym: it comes second) and its abstract 强化学习.
    ("reinforcement learning", "2503.07365"),
    ("VLA", "2503.19757"),  # says 视觉-语言-动作; an author named Vladimir must not rank first
    ("2503.10622v2", "2503.10622"),
    ("直接偏好优化", "2503.05236"),
    ("DPO", "2503.05236"),
])
def test_glossary_names_and_versioned_ids_find_papers(chromium_browser, site_url, query, paper):
    context, page, _ = _page(chromium_browser)
    results = _search(page, site_url, query)
    assert results and f"papers/{paper}.html" in results[0]
    if query == "reinforcement learning":
        assert "papers/2503.07536.html" in results[1]
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_card_date_is_never_cut_at_its_hyphens(chromium_browser, site_url, viewport):
    """At 1280 px the month page's first card once showed "2025-03-" and "27" on two lines."""
    context, page, errors = _page(chromium_browser, viewport=viewport)
    for path in (PAGES["month"], PAGES["home"], PAGES["topic"]):
        page.goto(f"{site_url}/{path}")
        lines = page.eval_on_selector_all(
            "div.paperkb-card span.paperkb-nowrap",
            "spans => spans.map(s => [s.textContent, new Set([...s.getClientRects()].map(r => r.top)).size])")
        assert lines and all(text.count("-") == 2 for text, _ in lines), (path, lines)
        assert [text for text, count in lines if count != 1] == [], path
    assert not errors, errors
    context.close()


def test_the_copy_button_of_a_formatted_reference_copies_it_exactly(chromium_browser, site_url, seeds_site):
    """What a reader pastes is the reference the page shows, with no prompt or line number."""
    from tools import layout

    from .conftest import soup

    shown = [block.find("pre").get_text().rstrip("\n") for block in
             soup(paper_page(seeds_site, "2503.10622")).select(f"#cite div.{layout.REFERENCE_CLASS}")]
    assert len(shown) == 2
    context, page, errors = _page(chromium_browser, viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.goto(f"{site_url}/papers/2503.10622.html")
    page.wait_for_load_state("load")
    copied = []
    for index in range(len(shown)):
        block = page.locator(f"#cite div.{layout.REFERENCE_CLASS}").nth(index)
        block.hover()
        block.locator("button.copybtn").click()
        copied.append(page.evaluate("navigator.clipboard.readText()"))
    assert [text.rstrip("\n") for text in copied] == shown
    assert copied[1].startswith("[1]ZHU J, CHEN X, HE K, 等.")
    assert not errors, errors
    context.close()
