"""The home page's latest papers in headless Chromium: the papers new since the reader's last
visit marked (paperkb.js, storage in the browser only) and the filter by topic.

What the page should show is read from the built HTML (BeautifulSoup), what it shows from the
browser. One site (the seeds'), one browser; each test opens its own context (its own storage).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

from tools import layout

from .browser import new_page, serve
from .conftest import soup

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
SEEN = "paperkb-seen:/"  # paperkb.js's key for the ids seen, per site root (served at /)
VISIT = "paperkb-visit:/"
CARDS = f"div.{layout.LATEST_CLASS} div.{layout.CARD_CLASS}"
FILTER = "div.paperkb-filter button"
# Storage that throws on every use, as with cookies blocked: reading window.localStorage throws.
BLOCKED = """for (const name of ['localStorage', 'sessionStorage']) {
  Object.defineProperty(window, name, {get() { throw new DOMException('blocked', 'SecurityError'); }});
}"""
# Storage that reads but cannot be written (Safari's old private mode, a full quota).
FULL = """Storage.prototype.setItem = function () {
  throw new DOMException('full', 'QuotaExceededError');
};"""


def _name(href: str) -> str:
    return PurePosixPath(href.split("#")[0]).stem


@pytest.fixture(scope="module")
def latest(seeds_site) -> list[tuple[str, set[str]]]:
    """The latest papers as the built page lists them: (paper id, its topic slugs), in order."""
    cards = soup(seeds_site / "index.html").select(CARDS)
    found = [(_name(card.select_one("p a")["href"]),
              {_name(a["href"]) for a in card.select(f"ul.{layout.CHIPS_CLASS} a")}) for card in cards]
    assert len(found) >= 8 and len({topic for _, topics in found for topic in topics}) >= 6
    return found


@pytest.fixture
def opened(chromium_browser):
    """Open pages in fresh contexts; at the end, no JavaScript error on any of them."""
    made = []

    def open_page(**options):
        context, page, errors = new_page(chromium_browser, **options)
        made.append((context, errors))
        return page

    yield open_page
    for context, _ in made:
        context.close()
    assert not [error for _, errors in made for error in errors]


_IDS = "(cards) => cards.filter((c) => %s).map((c) => c.querySelector('p a').getAttribute('href'))"


def _shown(page) -> list[str]:
    """The ids of the latest papers the reader sees, in order."""
    return [_name(href) for href in page.eval_on_selector_all(CARDS, _IDS % "c.getClientRects().length")]


def _marked(page) -> list[str]:
    """The ids of the latest papers marked new, in order."""
    marked = page.eval_on_selector_all(CARDS, _IDS % "c.querySelector('span.paperkb-new')")
    return [_name(href) for href in marked]


def _buttons(page) -> list[dict]:
    return page.eval_on_selector_all(FILTER, """buttons => buttons.map((b) => ({topic: b.dataset.topic,
      text: b.textContent, pressed: b.getAttribute('aria-pressed'), shown: !!b.getClientRects().length,
      height: b.getBoundingClientRect().height}))""")


def _pressed(page) -> list[str | None]:
    return [b["topic"] for b in _buttons(page) if b["pressed"] == "true"]


def _seen(page) -> list[str]:
    return page.evaluate(f"() => JSON.parse(localStorage.getItem('{SEEN}'))")


def _an_older_visit(page, seen: list[str]) -> None:
    """As if the reader had last seen ``seen``, and that visit were over."""
    page.evaluate("([key, ids]) => { localStorage.setItem(key, JSON.stringify(ids)); "
                  "sessionStorage.clear(); }", [SEEN, seen])


def _visit_began(page, minutes: int) -> None:
    """As if the reader's last page of this visit had been ``minutes`` earlier than it was."""
    page.evaluate("""([key, ms]) => { const visit = JSON.parse(sessionStorage.getItem(key));
      visit.at -= ms; sessionStorage.setItem(key, JSON.stringify(visit)); }""", [VISIT, minutes * 60_000])


def test_the_first_visit_marks_nothing_and_remembers_the_latest(opened, site_url, latest):
    page = opened()
    page.goto(f"{site_url}/index.html")
    ids = [paper for paper, _ in latest]
    assert _shown(page) == ids
    assert _marked(page) == []
    assert page.locator("p.paperkb-new-count").count() == 0
    assert "new" not in [b["topic"] for b in _buttons(page)]
    assert _seen(page) == ids


def test_papers_new_since_the_last_visit_are_marked_and_counted(opened, site_url, latest):
    page = opened()
    page.goto(f"{site_url}/index.html")
    ids = [paper for paper, _ in latest]
    new = [ids[1], ids[4], ids[-1]]
    _an_older_visit(page, [paper for paper in ids if paper not in new] + ["2401.00001"])
    page.reload()
    assert _marked(page) == new
    assert page.locator("p.paperkb-new-count").inner_text() == "3 篇新论文 · 3 new since your last visit"
    assert set(_seen(page)) == {*ids, "2401.00001"} and _seen(page)[:len(ids)] == ids
    # The same visit: a reload, and the home page again after a paper page, keep the marks.
    page.reload()
    assert _marked(page) == new
    page.goto(f"{site_url}/{layout.PAPERS}/{ids[0]}.html")
    page.goto(f"{site_url}/index.html")
    assert _marked(page) == new
    # "New" shows those papers only.
    page.locator(f"{FILTER}[data-topic='new']").click()
    assert _shown(page) == new and _pressed(page) == ["new"]
    assert page.url.endswith("?topic=new")
    # The visit ends after half an hour without a page: the next one has nothing new.
    _visit_began(page, 31)
    page.goto(f"{site_url}/index.html")
    assert _marked(page) == [] and page.locator("p.paperkb-new-count").count() == 0


def test_every_page_renews_the_visit(opened, site_url, latest):
    page = opened()
    page.goto(f"{site_url}/index.html")
    _an_older_visit(page, [paper for paper, _ in latest[1:]])
    page.reload()
    at = f"() => JSON.parse(sessionStorage.getItem('{VISIT}')).at"
    _visit_began(page, 25)
    before = page.evaluate(at)
    page.goto(f"{site_url}/{layout.PAPERS}/{latest[0][0]}.html")
    assert page.evaluate(at) > before + 20 * 60 * 1000
    _visit_began(page, 25)
    page.goto(f"{site_url}/index.html")  # 50 minutes after the first page, 25 after the last
    assert _marked(page) == [latest[0][0]]


def test_the_ids_kept_are_bounded_newest_first(opened, site_url, latest):
    page = opened()
    page.goto(f"{site_url}/index.html")
    old = [f"2301.{n:05d}" for n in range(3000)]
    _an_older_visit(page, old)
    page.reload()
    seen = _seen(page)
    ids = [paper for paper, _ in latest]
    assert len(seen) == 2000 and seen[:len(ids)] == ids and seen[len(ids):] == old[:2000 - len(ids)]
    assert _marked(page) == ids  # none of them had been seen


def test_each_site_root_keeps_its_own_ids(opened, seeds_site, latest):
    """Two sites on one origin (Read the Docs versions) do not share what was seen."""
    with serve(seeds_site.parent) as url:
        page = opened()
        page.goto(f"{url}/{seeds_site.name}/index.html")
        keys = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('paperkb-'))")
        assert keys == [f"paperkb-seen:/{seeds_site.name}/"]
        page.goto(f"{url}/{seeds_site.name}/")  # the same site by its folder's address
        assert page.evaluate("() => Object.keys(sessionStorage)") == [f"paperkb-visit:/{seeds_site.name}/"]


@pytest.mark.parametrize("storage", [BLOCKED, FULL], ids=["blocked", "full"])
def test_storage_that_fails_breaks_nothing(opened, site_url, latest, storage):
    page = opened()
    page.add_init_script(storage)
    if storage is BLOCKED:
        # Sphinx's own sphinx_highlight.js (Sphinx 9.0.4) reads localStorage outside a try and
        # throws on every page; left out here so that an error is paperkb.js's.
        page.route(re.compile(r"/_static/sphinx_highlight\.js(\?|$)"),
                   lambda route: route.fulfill(body="", content_type="text/javascript"))
    page.goto(f"{site_url}/index.html")
    page.reload()
    assert _marked(page) == [] and _shown(page) == [paper for paper, _ in latest]
    topic = sorted(latest[0][1])[0]
    page.locator(f"{FILTER}[data-topic='{topic}']").click()
    assert _shown(page) == [paper for paper, topics in latest if topic in topics]


def test_filter_by_topic_in_the_address_and_back_to_all(opened, site_url, latest):
    page = opened()
    page.goto(f"{site_url}/index.html")
    buttons = _buttons(page)
    assert [b["topic"] for b in buttons[:1]] == [""] and _pressed(page) == [""]
    assert all(b["pressed"] in ("true", "false") for b in buttons)
    counts: dict[str, int] = {}
    for _, topics in latest:
        for topic in topics:
            counts[topic] = counts.get(topic, 0) + 1
    offered = {b["topic"]: b["text"] for b in buttons if b["topic"]}
    assert set(offered) == set(counts)  # one button per topic of the latest papers, with its count
    assert all(offered[topic].endswith(f" {count}") for topic, count in counts.items())
    assert buttons[0]["text"] == f"全部 · All {len(latest)}"
    for topic in sorted(counts, key=lambda t: (counts[t], t))[:2]:  # a rare topic, then another
        page.locator(f"{FILTER}[data-topic='{topic}']").click()
        expected = [paper for paper, topics in latest if topic in topics]
        assert _shown(page) == expected and _pressed(page) == [topic]
        assert page.url == f"{site_url}/index.html?topic={topic}"
        page.reload()
        assert _shown(page) == expected and _pressed(page) == [topic]
    page.locator(f"{FILTER}[data-topic='']").click()
    assert _shown(page) == [paper for paper, _ in latest] and _pressed(page) == [""]
    assert page.url == f"{site_url}/index.html"
    page.goto(f"{site_url}/index.html?topic=no-such-topic")
    assert _shown(page) == [paper for paper, _ in latest] and _pressed(page) == [""]


def test_on_a_phone_topics_fold_and_nothing_overflows(opened, site_url, latest):
    page = opened(viewport=PHONE, has_touch=True, is_mobile=True)
    topics = {topic for _, found in latest for topic in found}
    page.goto(f"{site_url}/index.html")
    shown = [b for b in _buttons(page) if b["shown"]]
    more = page.locator("button.paperkb-filter-more")
    assert more.inner_text() == f"更多 {len(topics) - 4} 个主题 · {len(topics) - 4} more"
    assert len(shown) == 1 + 4 + 1  # all, four topics, more
    assert all(b["height"] >= 24 for b in shown)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    more.tap()
    assert more.count() == 0 and all(b["shown"] for b in _buttons(page))
    assert page.evaluate("document.activeElement.dataset.topic") in topics  # not lost with the button
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # A folded topic named in the address is shown, pressed.
    rare = [b["topic"] for b in _buttons(page) if b["topic"]][-1]
    page.goto(f"{site_url}/index.html?topic={rare}")
    assert _pressed(page) == [rare] and more.count() == 0


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(colours: list[str]) -> float:
    light, dark = sorted((_luminance(colour) for colour in colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_marks_and_buttons_are_readable(opened, site_url, latest, scheme):
    page = opened(color_scheme=scheme)
    page.goto(f"{site_url}/index.html")
    _an_older_visit(page, [paper for paper, _ in latest[1:]])
    page.reload()
    colours = "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    for selector in ("span.paperkb-new", f"{FILTER}[aria-pressed='true']", f"{FILTER}[aria-pressed='false']"):
        assert _contrast(page.locator(selector).first.evaluate(colours)) >= 4.5, (scheme, selector)


def test_without_javascript_the_latest_papers_are_all_there(opened, site_url, latest):
    page = opened(java_script_enabled=False)
    page.goto(f"{site_url}/index.html?topic={sorted(latest[0][1])[0]}")
    assert _shown(page) == [paper for paper, _ in latest]
    assert page.locator(FILTER).count() == 0
