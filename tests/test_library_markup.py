"""Markup that libraries emit is parsed and re-serialised, never pasted into a page.

latex2mathml's MathML (tools/sphinxext/mathml.py) and the head tags that
sphinxext-opengraph and our citation tags hand the theme (tools/sphinxext/headtags.py).
"""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from myst_parser.config.main import read_topmatter

from tools.pipeline import convert
from tools.sphinxext import libyaml
from tools.sphinxext.headtags import rewritten
from tools.sphinxext.mathml import ELEMENTS, MATHML_NAMESPACE, to_mathml

from .conftest import SEEDS, copy_project

# latex2mathml 3.81.1 copies the argument of these into <mtext> as it is.
TEXT_COMMANDS = ("text", "textbf", "textit", "textrm", "mbox")


def elements(markup: str) -> set[str]:
    """The elements a browser's HTML parser makes of the markup (BeautifulSoup's html.parser)."""
    return {element.name for element in BeautifulSoup(markup, "html.parser").find_all(True)}


def test_markup_copied_from_a_text_argument_never_becomes_an_element():
    for command in TEXT_COMMANDS:
        for payload in ("<script>alert(1)</script>", "<img/src/onerror=alert(1)>", "<b>x</b>",
                        "a & b", "&lt;", "<!-- c -->", "<?pi x?>"):
            for tex in (rf"\{command}{{{payload}}}", rf"\mathcal{{\{command}{{{payload}}}}}",
                        rf"x + \frac{{1}}{{\{command}{{{payload}}}}}"):
                markup = to_mathml(tex)
                assert markup is None or elements(markup) <= ELEMENTS, (tex, markup)
    # what falls back to TeX source: latex2mathml's output for these is not MathML
    assert to_mathml(r"\text{<script>alert(1)</script>}") is None
    assert to_mathml(r"\text{a & b}") is None


def test_formulas_are_well_formed_mathml_with_their_source_as_alttext():
    markup = to_mathml(r"x^2 < \tanh(\alpha y)")
    assert markup is not None
    root = etree.fromstring(markup)
    assert root.tag == f"{{{MATHML_NAMESPACE}}}math"
    assert root.get("alttext") == r"x^2 < \tanh(\alpha y)"
    assert "".join(root.itertext()) == "x2<tanh(αy)"
    assert to_mathml(r"\text{a b}") is not None  # text without markup characters stays math


@given(st.text(alphabet="<>&\"'/=;!?-ab \\{}", max_size=30), st.sampled_from(TEXT_COMMANDS))
def test_any_text_argument_yields_mathml_elements_only(payload, command):
    markup = to_mathml(rf"\{command}{{{payload}}}")
    assert markup is None or elements(markup) <= ELEMENTS
    if markup is not None:
        for element in BeautifulSoup(markup, "html.parser").find_all(True):
            assert not [name for name in element.attrs if name.lower().startswith("on")]


def test_head_tags_keep_their_values_as_values():
    # sphinxext-opengraph's make_tag escapes only the double quote
    tags = ('<meta property="og:title" content="<script>alert(1)</script> R&D" />\n'
            '<meta name="x" content="a"><script>alert(2)</script><style>*{}</style>'
            '<link rel="alternate" href="javascript:alert(3)"><link rel="canonical" href="https://e.org/a">'
            '<meta name="y" content="b" onload="alert(4)">')
    head = BeautifulSoup(rewritten(tags), "html.parser")
    assert [element.name for element in head.find_all(True)] == ["meta", "meta", "link", "meta"]
    assert head.find("meta", property="og:title")["content"] == "<script>alert(1)</script> R&D"
    assert head.find("link")["href"] == "https://e.org/a"
    assert not [name for element in head.find_all(True) for name in element.attrs if name.startswith("on")]
    assert rewritten("") == ""


# --- in a Sphinx build (sphinx.testing, tests/roots/) ----------------------------------------------

@pytest.mark.sphinx("html", testroot="mathml")
def test_a_page_shows_formulas_as_mathml_or_as_their_source(app):
    app.build()
    assert not app.warning.getvalue()
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    body = page.select_one("div.body")
    assert not body.select("script, img, b")
    assert [math["alttext"] for math in body.select("math")] == ["x^2 < y"]
    assert [span.get_text() for span in body.select(".tex-source")] == [
        r"\text{<script>alert(1)</script>}", r"\mathcal{\text{<img/src/onerror=alert(2)>}}",
        r"\text{a & b}", r"\frac{a}{\text{<b>b</b>}}"]


@pytest.mark.sphinx("html", testroot="headtags")
def test_a_page_head_carries_its_title_as_a_value(app):
    app.build()
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("meta", property="og:title")["content"] == 'R&D: <script>alert(1)</script> "quoted" &'
    assert "onerror" in page.find("meta", property="og:description")["content"]
    assert not [script for script in page.find_all("script") if "alert" in (script.string or "")]
    assert not page.find_all("img")
    assert len(page.find_all("meta", attrs={"name": "viewport"})) == 1  # the theme's, not docutils' too



@pytest.mark.sphinx("html", testroot="libyaml")
def test_myst_reads_front_matter_with_libyaml(app, monkeypatch):
    loaded = []
    monkeypatch.setattr(libyaml, "c_safe_load", lambda text: loaded.append(text) or yaml.load(
        text, Loader=yaml.CSafeLoader))
    app.build()
    assert not app.warning.getvalue()
    assert [text for text in loaded if "citation_meta" in text]  # the page's front matter
    assert app.env.metadata["index"]["citation_meta"] == \
        '[["citation_title", "A \\"quoted\\" title"], ["citation_author", "Doe, Jane"]]'
    assert yaml.safe_load is not libyaml.c_safe_load  # outside MyST's parse, PyYAML as it was
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("div.admonition.tip")  # the directive's YAML options block was read


def test_libyaml_reads_every_generated_page_front_matter_as_pyyaml_does(tmp_path):
    project = copy_project(tmp_path / "project")
    convert(SEEDS, project / "docs")
    pages = sorted((project / "docs").rglob("*.md"))
    fronts = [page.read_text(encoding="utf-8") for page in pages]
    fronts = [text for text in fronts if text.startswith("---")]
    assert len(fronts) >= 25  # every paper page
    for text in fronts:
        pure = read_topmatter(text)
        with libyaml.libyaml_loading():
            assert read_topmatter(text) == pure
