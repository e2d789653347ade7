"""Hostile digests: nothing lost, nothing injected, every problem named."""

from __future__ import annotations

import json
import re

import bibtexparser
import pybtex.database
import pytest

from tools import layout
from tools.read.parse import parse_folder

from .conftest import (
    BROKEN,
    LONG_ABSTRACT,
    LONG_FORMULA,
    ROOT,
    SEEDS,
    copy_project,
    paper_page,
    paper_pages,
    run_bibtex,
    soup,
    sphinx_build,
)

pytestmark = pytest.mark.slow

# Scripts Sphinx, the theme and extensions put on pages; anything else would be injected.
OWN_SCRIPTS = ("_static/", f"{layout.SEARCH_DIR}/")


def test_builds_strictly_and_keeps_every_valid_entry(hostile_build):
    seeds, site, result = hostile_build
    ids = {entry.arxiv.id for entry in parse_folder(seeds).entries}
    assert len(ids) == 25 + 12
    pages = {p.stem for p in paper_pages(site)}
    assert pages == {i.replace("/", "_") for i in ids}
    assert "hep-th_9901001" in pages  # an old-style id gets a safe page name
    # the duplicated paper is reported once, as a note, not as a warning
    assert (result.stdout + result.stderr).count("2503.10622 appears again") == 1


def test_no_active_content_from_digest_text(hostile_site):
    for page in hostile_site.rglob("*.html"):
        html = soup(page)
        assert not html.find_all(["iframe", "object", "embed", "img"]), page.name
        for element in html.find_all(True):
            assert not [a for a in element.attrs if a.lower().startswith("on")], (page.name, element)
        for script in html.find_all("script"):
            if script.get("type") == "application/ld+json":
                # Data that no browser runs: digest text is in it as JSON strings, no "<" in them
                # (tests/test_zotero_metadata.py).
                assert "<" not in script.string and json.loads(script.string), page.name
                continue
            source = script.get("src")
            assert source is None or any(own in source for own in OWN_SCRIPTS), (page.name, source)
            assert "alert" not in (script.string or ""), page.name
        for link in html.find_all("a", href=True):
            assert not link["href"].strip().lower().startswith(("javascript:", "data:")), page.name


def test_hostile_titles_reach_the_search_pieces_as_data(hostile_site):
    # The pieces are scripts; digest text is inside them only as JSON string values.
    piece = re.compile(r'PaperSearch\.addPiece\("pages-\d+",(.*)\);\n', re.DOTALL)
    titles = [row for path in (hostile_site / layout.SEARCH_DIR).glob("pages-*.js")
              for row in json.loads(piece.fullmatch(path.read_text(encoding="utf-8"))[1])]
    assert [title == '<script>alert("title")</script> Scripted Title' for title, _ in titles].count(True) == 1


def test_hostile_text_is_shown_as_text(hostile_site):
    page = soup(paper_page(hostile_site, "2503.99001"))
    assert page.select_one("div.body h1").get_text().rstrip("¶") == \
        '<script>alert("title")</script> Scripted Title'
    assert page.title.get_text().startswith('<script>alert("title")</script> Scripted Title')
    text = page.select_one("div.body").get_text()
    for visible in ('<img src=x onerror=alert(1)>中文标题', '<iframe src="', "<!-- 注释 -->",
                    "```{raw} html", "```{include} /etc/passwd", ":::{note}", "{{ project }}",
                    "{doc}`index`", "[链接](javascript:alert(3))"):
        assert visible in text, visible
    special = soup(paper_page(hostile_site, "2503.99003"))
    title = 'Title With * _ [ ] < > & " { } % # ~ \\ Characters'
    assert special.select_one("div.body h1").get_text().rstrip("¶") == title
    body = special.select_one("div.body")
    assert [s.get_text() for s in body.select(f"section#{layout.ABSTRACT_ID} p strong")] == ["加粗", "粗体"]
    assert body.find("a", string="好链接")["href"] == "https://example.org/ok"
    assert body.find("a", string="坏链接") is None and "坏链接" in body.get_text()
    assert "(digest links name v3)" in " ".join(body.get_text().split())


def test_only_balanced_safe_math_becomes_math(hostile_site):
    page = soup(paper_page(hostile_site, "2503.99002"))
    assert [m.select_one("math")["alttext"] for m in page.select("span.math, div.math")] == [
        r"DyT(x) = \tanh(\alpha x)", r"E = mc^2"]
    text = page.select_one("div.body").get_text()
    for readable in (r"$\href{javascript:alert(4)}{x}$", r"$\require{html}\class{x}{y}$", "$x^{2",
                     "$5 与 $10", r"\(x\)", r"$$\unknownmacro$$"):
        assert readable in text, readable


def test_line_endings_bom_emoji_and_long_abstracts(hostile_site):
    crlf = soup(paper_page(hostile_site, "2503.99004"))
    assert crlf.select_one("div.body h1").get_text().rstrip("¶") == "CRLF and BOM Entry"
    paragraphs = [p.get_text() for p in crlf.select("div.body section section p")]
    assert "第一段。" in paragraphs and "第二段，含 emoji 🚀🎉 与全角字符 ＡＢＣ１２３！" in paragraphs
    long = soup(paper_page(hostile_site, "2503.99005")).select_one("div.body").get_text()
    assert " ".join(LONG_ABSTRACT.split()) in " ".join(long.split())


def test_same_paper_in_two_digests(hostile_site):
    page = soup(paper_page(hostile_site, "2503.10622"))
    digests = [(a["href"], a.get_text()) for a in page.select("div.body a[href*='digests/']")]
    # its digests, then the digest of its other version (the heading of that version)
    assert [href for href, _ in digests] == ["../digests/004_ad890f935f0d4d32.html",
                                             "../digests/103_ids_and_duplicates.html",
                                             "../digests/103_ids_and_duplicates.html"]
    # named for readers: number, date, count; never the file's hash
    assert [text.split(" · ")[0] for _, text in digests] == ["第 4 期", "第 103 期", "第 103 期"]
    text = page.select_one("div.body").get_text()
    assert "无需归一化的 Transformer（另一译本）" in text and "动态 Tanh 取代归一化层" in text
    for digest in ("004_ad890f935f0d4d32", "103_ids_and_duplicates"):
        page = soup(hostile_site / "digests" / f"{digest}.html")
        listed = page.select("div.body div.paperkb-card a[href*='papers/']")
        assert any("2503.10622" in a["href"] for a in listed)


def test_bibtex_export_stays_valid(tmp_path, hostile_site):
    text = (hostile_site / "refs.bib").read_text(encoding="utf-8")
    assert len(pybtex.database.parse_string(text, "bibtex").entries) == 37
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 37
    run, log, _ = run_bibtex(hostile_site / "refs.bib", tmp_path)
    assert run.returncode == 0 and "error message" not in log and "Warning--" not in log, log


def test_broken_folder_names_every_problem_and_builds_the_rest_with_strict_0(tmp_path):
    project = copy_project(tmp_path / "project")
    failed = sphinx_build(project, BROKEN, tmp_path / "out", check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 2  # a SphinxError: Sphinx's status for a build that could not run
    expected = ["201_broken.txt:1:", "201_broken.txt:7:", "201_broken.txt:9:", "201_broken.txt:13:",
                "201_broken.txt:16:", "202_gbk.txt:2:"]
    assert [line.split(" ", 1)[0].rsplit("/", 1)[-1] for line in output.splitlines()
            if "WARNING" in line] == expected
    assert "GB18030" in output and not (project / "docs" / "papers").exists()
    lenient = sphinx_build(project, BROKEN, tmp_path / "out", strict=False)
    assert all(f"/{location}" in lenient.stderr for location in expected)
    pages = sorted(p.stem for p in (tmp_path / "out" / "html" / "papers").glob("*.html"))
    assert pages == ["2503.98001", "2503.98004", "2503.98006"]


def test_usage_errors_exit_2(tmp_path):
    project = copy_project(tmp_path / "project")
    missing = sphinx_build(project, tmp_path / "nowhere", tmp_path / "out", check=False)
    assert missing.returncode == 2 and "seeds folder not found" in missing.stderr
    assert "paper-kb: cannot convert the digests" in missing.stderr  # our error, not a crash
    (project / "docs" / "_data" / "taxonomy.toml").write_text("[[topic]]\nslug = 'Bad Slug'\n")
    bad = sphinx_build(project, SEEDS, tmp_path / "out", check=False)
    assert bad.returncode == 2 and "taxonomy.toml" in bad.stderr


# --- markup from libraries, and entries that would cost more than their size ------------------------

def test_formulas_holding_markup_are_shown_as_their_tex_source(hostile_site):
    page = soup(paper_page(hostile_site, "2503.99201"))
    assert not page.select("div.body script, div.body img, div.body b")
    title = page.select_one("div.body h1")
    assert title.select_one(".tex-source").get_text() == r"\text{<script>alert(5)</script>}"
    abstract = page.select_one(f"section#{layout.ABSTRACT_ID}")
    shown = [span.get_text() for span in abstract.select(".tex-source")]
    assert shown == [r"\text{<script>alert(7)</script>}", r"\text{a & b}"]
    assert abstract.select_one("math").get("alttext") == "x^2 < y"  # a formula without markup is MathML


def test_no_listing_page_carries_what_one_entry_holds(hostile_site):
    # The long formula (200 KB) and the long title (18 KB) amplified every list they were in.
    own = {paper_page(hostile_site, pid) for pid in ("2503.99204", "2503.99005", "2503.99203")}
    for page in hostile_site.rglob("*.html"):
        if page not in own:
            assert page.stat().st_size < 100_000, page
    assert len(LONG_FORMULA) - 1 <= len(soup(paper_page(hostile_site, "2503.99204")).get_text())


def test_check_names_what_the_build_notes_with_file_and_line(hostile_build, capsys):
    from tools.cli import main

    seeds, _, result = hostile_build
    status = main(["check", str(seeds), "--docs", str(ROOT / "docs")])
    output = capsys.readouterr()
    assert status == 0, output
    long = seeds / "104_long.txt"
    expected = [f"{long}:11: note: 2503.99202: markup nested deeper than 10 groups is kept as written",
                f"{long}:21: note: 2503.99204: a formula of 200,001 characters is kept as text",
                f"{long}:26: note: 2503.99205: the title has 17,999 characters; cut to 500"]
    for line in expected:
        assert line in result.stderr, line
        assert line.replace(": note:", ":", 1) in output.err, line


def test_other_versions_are_named_by_their_digest_not_their_file(hostile_site):
    page = soup(paper_page(hostile_site, "2503.10622"))
    headings = [h.get_text().rstrip("¶") for h in page.select("div.body h3")]
    assert headings == ["第 103 期 · 2025-03-13 · 2 篇"]
    assert ".txt" not in page.select_one("div.body").get_text()
