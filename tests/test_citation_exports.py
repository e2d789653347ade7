"""RIS, CSL-JSON and the formatted references of the Cite box, checked with the libraries
reference managers and CSL processors use (rispy, citeproc-py), never against strings of ours."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as citeproc_model
from citeproc.source.json import CiteProcJSON

from tools import layout
from tools.memo import Memo
from tools.pipeline import check
from tools.read import csl_styles
from tools.read.curated import KnowledgeError
from tools.render import references
from tools.render.citation_formats import _one_line, csl_json_file, csl_json_record, csl_records, render_ris
from tools.render.papers_json import render_papers_json

from .conftest import HOSTILE, ROOT, SEEDS, paper_page, paper_pages, soup

CSL = ROOT / "docs" / "_data" / "csl"
STYLES = tomllib.loads((CSL / "styles.toml").read_text(encoding="utf-8"))["style"]


def _records(site: Path) -> dict[str, dict]:
    """arXiv id -> its CSL record in the site's refs.json."""
    data = json.loads((site / layout.REFS_JSON).read_text(encoding="utf-8"))
    return {record["number"].removeprefix("arXiv:"): record for record in data}


def _citeproc(record: dict, style_file: Path, locale: str) -> str:
    """What citeproc-py itself makes of the record, with the style file (a bibliography of one)."""
    style = CitationStylesStyle(str(style_file), locale=locale, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([record]), formatter.plain)
    bibliography.register(Citation([CitationItem(record["id"])]))
    return " ".join(str(entry) for entry in bibliography.bibliography())


def _shown_references(page: Path) -> list[tuple[str, str]]:
    """(label, text) of each formatted reference in the page's Cite box, as a browser shows them."""
    shown = []
    for block in soup(page).select(f"#cite div.{layout.REFERENCE_CLASS}"):
        label = block.find_previous_sibling("p").get_text()
        shown.append((label, block.find("pre").get_text().rstrip("\n")))
    return shown


@pytest.mark.slow
def test_apa_and_gbt_7714_on_a_paper_page_are_what_citeproc_gives_for_its_record(seeds_site):
    record = _records(seeds_site)["2503.10622"]
    shown = _shown_references(paper_page(seeds_site, "2503.10622"))
    assert [label for label, _ in shown] == [style["name"] for style in STYLES]
    assert [label.split()[0] for label, _ in shown] == ["APA", "GB/T"]
    for (_, text), style in zip(shown, STYLES, strict=True):
        assert text == _citeproc(record, CSL / style["file"], style["locale"])
    apa, gbt = (text for _, text in shown)
    # What each style is known for, so that a reference in the wrong style cannot pass.
    assert apa.startswith("Zhu, J., Chen, X., He, K., LeCun, Y., & Liu, Z. (2025). Transformers without")
    assert "https://doi.org/10.48550/arXiv.2503.10622" in apa
    assert gbt.startswith("[1]ZHU J, CHEN X, HE K, 等. Transformers without Normalization[A/OL]. "
                          "arXiv, 2025.")


@pytest.mark.slow
def test_every_formatted_reference_and_ris_record_is_whole_even_for_hostile_titles(hostile_site):
    """Titles that look like HTML, MyST or BibTeX reach the page as the text citeproc made of
    them, and the RIS file as themselves: one record a paper."""
    records = _records(hostile_site)
    papers = json.loads((hostile_site / layout.PAPERS_JSON).read_text(encoding="utf-8"))["papers"]
    assert len(paper_pages(hostile_site)) == len(records) == len(papers)
    for paper in papers:
        arxiv_id, page = paper["id"], hostile_site / paper["page"]
        shown = _shown_references(page)
        assert len(shown) == len(STYLES), page
        for (_, text), style in zip(shown, STYLES, strict=True):
            assert text == _citeproc(records[arxiv_id], CSL / style["file"], style["locale"]), page
    ris = rispy.loads((hostile_site / layout.REFS_RIS).read_text(encoding="utf-8"))
    assert {entry["issn"]: entry["title"] for entry in ris} == {
        record["number"]: record["title"] for record in records.values()}


@pytest.mark.slow
def test_ris_loads_in_rispy_with_title_authors_doi_and_arxiv_url(seeds_site):
    records = _records(seeds_site)
    site_wide = rispy.loads((seeds_site / layout.REFS_RIS).read_text(encoding="utf-8"))
    assert len(site_wide) == len(records) == 25
    for entry in site_wide:
        arxiv_id = entry["issn"].removeprefix("arXiv:")
        record = records[arxiv_id]
        assert entry["type_of_reference"] == "RPRT"
        assert entry["title"] == record["title"]
        assert entry["authors"] == [f"{name['family']}, {name['given']}" if "given" in name
                                    else name["literal"] for name in record["author"]]
        assert entry["doi"] == record["DOI"] == f"10.48550/arXiv.{arxiv_id}"
        assert entry["urls"] == [f"https://arxiv.org/abs/{arxiv_id}"]
        assert entry["file_attachments1"] == f"https://arxiv.org/pdf/{arxiv_id}"
        (own,) = rispy.loads((seeds_site / f"{layout.PAPERS}/{arxiv_id}.ris").read_text(encoding="utf-8"))
        assert own == entry
    (dyt,) = [entry for entry in site_wide if entry["issn"] == "arXiv:2503.10622"]
    assert dyt["title"] == "Transformers without Normalization"
    assert dyt["authors"][:2] == ["Zhu, Jiachen", "Chen, Xinlei"] and dyt["date"] == "2025/03/13"


@pytest.mark.slow
def test_csl_json_per_paper_and_per_topic_are_the_records_of_refs_json(seeds_site):
    records = _records(seeds_site)
    for arxiv_id, record in records.items():
        assert json.loads((seeds_site / f"{layout.PAPERS}/{arxiv_id}.json").read_text(encoding="utf-8")) \
            == [record]
    topic = json.loads((seeds_site / f"{layout.TOPICS}/video.json").read_text(encoding="utf-8"))
    topic_ris = rispy.loads((seeds_site / f"{layout.TOPICS}/video.ris").read_text(encoding="utf-8"))
    assert topic and all(item in records.values() for item in topic)
    assert [entry["id"] for entry in topic_ris] == [item["id"] for item in topic]
    page = soup(paper_page(seeds_site, "2503.10622"))
    downloads = {a.get_text(): a["href"] for a in page.select("#cite a")}
    assert downloads["RIS"] == "2503.10622.ris" and downloads["CSL-JSON"] == "2503.10622.json"
    assert downloads["refs.ris"] == "../refs.ris"


def test_csl_json_files_from_records_encoded_once_are_what_json_dumps_writes():
    records = list(csl_records(check(SEEDS, ROOT / "docs").knowledge).values())
    hostile = {**records[0], "title": "Line\nbreak\u2028, \"quotes\", [brackets] and {braces}\r\n",
               "author": [], "note": {}}
    for some in ([], records[:1], records, [hostile, *records[:2]]):
        expected = json.dumps(some, ensure_ascii=False, indent=1) + "\n"
        assert csl_json_file(csl_json_record(record) for record in some) == expected


@pytest.mark.parametrize("corpus", ["seeds", "hostile", "no papers"])
def test_papers_json_from_papers_encoded_once_is_what_json_dumps_writes(corpus):
    knowledge = check(HOSTILE if corpus == "hostile" else SEEDS, ROOT / "docs").knowledge
    if corpus == "no papers":
        knowledge = replace(knowledge, papers={}, digests=())
    pages = {digest.name: f"digests/{digest.name}" for digest in knowledge.digests}
    memo = Memo()
    for _ in range(2):  # encoding each paper, then taking every one from the memo
        (text,) = render_papers_json(knowledge, pages, memo).values()
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
        assert len(json.loads(text)["papers"]) == len(knowledge.papers)
    assert memo.computed == len(knowledge.papers)


def test_a_line_break_in_a_title_cannot_start_a_ris_tag():
    """Digest text is data: no line break (any that splitlines knows) survives into a RIS value."""
    title = "One\nER  - \u2028TY  - JOUR\x85TI  - Injected"
    record = {"type_of_reference": "RPRT", "title": title, "authors": ["Doe,\r\nJane"]}
    (entry,) = rispy.loads(render_ris([{key: _one_line(value) for key, value in record.items()}]))
    assert entry["title"] == "One ER  - TY  - JOUR TI  - Injected" and entry["authors"] == ["Doe, Jane"]


def test_a_cached_reference_is_not_formatted_again_and_a_changed_record_is(monkeypatch):
    styles = csl_styles.load_styles(CSL)
    record = {"id": "doe2025title", "type": "article", "title": "A Title",
              "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2025, 3, 1]]}}
    first = references.format_references([record], styles, {})
    assert [ref.style for ref in first.references["doe2025title"]] == [
        "apa", "china-national-standard-gb-t-7714-2015-numeric"]
    assert first.references["doe2025title"][0].text.startswith("Doe, J. (2025). A Title")
    cache = references.load_cache(references.render_cache(first.cache))
    assert cache == first.cache and len(cache) == 2

    calls = []
    real = references.format_reference
    monkeypatch.setattr(references, "format_reference",
                        lambda rec, style: calls.append(rec) or real(rec, style))
    again = references.format_references([record], styles, cache)
    assert again == first and calls == []
    changed = references.format_references([{**record, "title": "Another Title"}], styles, cache)
    assert len(calls) == 2 and "Another Title" in changed.references["doe2025title"][0].text
    assert set(changed.cache).isdisjoint(cache)  # the old record's entries are not kept
    assert references.load_cache("not json") == {} and references.load_cache(None) == {}
    assert references.load_cache('{"version": 0, "references": {"k": "v"}}') == {}


# What citeproc-py makes of records without our memoized lookups: run in a process that
# never imports tools.render.references, which installs them.
UNPATCHED_CITEPROC = """
import json, sys
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as citeproc_model
from citeproc.source.json import CiteProcJSON
records, styles = json.load(sys.stdin)
out = []
for file, locale in styles:
    style = CitationStylesStyle(file, locale=locale, validate=False)
    for record in records:
        bibliography = CitationStylesBibliography(style, CiteProcJSON([record]), formatter.plain)
        bibliography.register(Citation([CitationItem(record["id"])]))
        out.append(" ".join(str(entry) for entry in bibliography.bibliography()))
json.dump(out, sys.stdout)
"""


def test_memoized_style_lookups_format_every_seed_paper_as_citeproc_does_without_them():
    records = list(csl_records(check(SEEDS, ROOT / "docs").knowledge).values())
    styles = csl_styles.load_styles(CSL)
    assert len(records) == 25 and "xpath_search" in vars(citeproc_model.CitationStylesElement)
    before = references.style_search.cache_info()
    ours = [references.format_reference(record, style) for style in styles for record in records]
    after = references.style_search.cache_info()
    assert after.hits - before.hits > 20 * len(ours) > after.misses - before.misses  # from the cache
    unpatched = subprocess.run([sys.executable, "-c", UNPATCHED_CITEPROC], check=True, capture_output=True,
                               text=True, input=json.dumps([records, [[str(CSL / s["file"]), s["locale"]]
                                                                      for s in STYLES]]))
    assert ours == json.loads(unpatched.stdout)


def test_references_formatted_by_forked_workers_are_those_formatted_in_one_process(monkeypatch):
    records = list(csl_records(check(SEEDS, ROOT / "docs").knowledge).values())
    styles = csl_styles.load_styles(CSL)
    monkeypatch.setattr(references.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(references, "POOL_MIN_JOBS", 10**6)
    serial = references.format_references(records, styles, {})
    pools = []
    context = references.multiprocessing.get_context
    monkeypatch.setattr(references.multiprocessing, "get_context",
                        lambda method: pools.append(method) or context(method))
    monkeypatch.setattr(references, "POOL_MIN_JOBS", 1)
    assert references.format_references(records, styles, {}) == serial
    assert pools == ["fork"]  # two workers formatted the 50 references

    def broken(record, style):
        raise ValueError(f"no {record['id']}")

    monkeypatch.setattr(references, "format_reference", broken)  # the forked workers have it too
    with pytest.raises(RuntimeError, match="formatting references: ValueError: no "):
        references.format_references(records, styles, {})


def test_a_style_that_is_not_csl_stops_the_build_naming_it(tmp_path):
    (tmp_path / "styles.toml").write_text('[[style]]\nname = "X"\nfile = "x.csl"\nlocale = "en-US"\n',
                                          encoding="utf-8")
    (tmp_path / "x.csl").write_text("<style>not a CSL style", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"x\.csl"):
        csl_styles.load_styles(tmp_path)
    (tmp_path / "x.csl").write_text('<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" '
                                    'version="1.0" class="in-text"><info><title>X</title></info>'
                                    '<citation><layout/></citation></style>', encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"x\.csl"):
        csl_styles.load_styles(tmp_path)
