"""tools/files/converted.py: a conversion the docs folder already holds is not done again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tools import layout, pipeline
from tools.enrich import enriched
from tools.files import converted as conversion_state
from tools.files.converted import KeptPages
from tools.files.write import CONVERSION_MEMO, CONVERSION_RECORD, CONVERTER_STATE, MANIFEST
from tools.memo import Memo
from tools.pipeline import convert
from tools.read import parse as parsing
from tools.render import citation_formats

from .conftest import BROKEN, SEEDS, copy_project


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in CONVERTER_STATE}


@pytest.fixture
def converted(tmp_path) -> tuple[Path, Path]:
    """A project converted once from a copy of the fixture seeds."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    docs = copy_project(tmp_path / "project") / "docs"
    first = convert(seeds, docs)
    assert first.knowledge is not None and first.report is not None and first.report.written
    return seeds, docs


def test_the_same_inputs_again_read_and_write_nothing_and_report_the_same(converted):
    seeds, docs = converted
    first = convert(seeds, docs, write=False)  # what a conversion finds, without the record
    before = _tree(docs)
    again = convert(seeds, docs)
    assert again.knowledge is None  # nothing parsed or rendered
    assert again.report is not None and again.report.written == () and again.report.removed == ()
    assert again.report.unchanged == len(_generated(docs))
    assert (again.entries, again.problems, again.notices, again.summary) == \
           (first.entries, first.problems, first.notices, first.summary)
    assert _tree(docs) == before


def _generated(docs: Path) -> list[str]:
    return json.loads((docs / MANIFEST).read_text(encoding="utf-8"))


@pytest.mark.parametrize("change", ["edit a page", "remove a page", "add a digest", "edit the glossary",
                                    "edit a template"])
def test_any_change_to_the_inputs_or_the_output_converts_again(converted, change, monkeypatch):
    seeds, docs = converted
    page = docs / "index.md"
    clean = page.read_bytes()
    if change == "edit a page":
        page.write_text("# edited by hand\n", encoding="utf-8")
    elif change == "remove a page":
        page.unlink()
    elif change == "add a digest":
        text = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8")
        (seeds / "zz-copy.txt").write_text(text, encoding="utf-8")
    elif change == "edit the glossary":
        glossary = docs / "_data" / "glossary.toml"
        glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    else:  # the code is an input: a copy of the tools package with one template changed
        tools = docs.parent / "tools"
        template = tools / "render" / "templates" / "index.md.jinja"
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        monkeypatch.setattr("tools.files.converted._TOOLS", tools)
    again = convert(seeds, docs)
    assert again.knowledge is not None
    if change in ("edit a page", "remove a page"):
        assert page.read_bytes() == clean and again.report is not None
        assert again.report.written == ("index.md",)


def test_a_conversion_stopped_half_way_leaves_no_record_of_the_files_it_did_not_finish(
        converted, monkeypatch):
    seeds, docs = converted
    record = docs / CONVERSION_RECORD
    assert record.is_file()
    digest = seeds / sorted(p.name for p in seeds.glob("*.txt"))[0]
    original = digest.read_bytes()
    digest.write_bytes(original.replace(b"## ", b"## Renamed: ", 1))

    def interrupted(folder, files, kept=()):
        (folder / "index.md").write_text("half written\n", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        convert(seeds, docs)
    assert not record.exists()
    monkeypatch.undo()
    digest.write_bytes(original)  # the inputs of the recorded conversion again
    again = convert(seeds, docs)
    assert again.knowledge is not None and "index.md" in again.report.written
    assert (docs / "index.md").read_text(encoding="utf-8") != "half written\n"


def test_problems_of_a_lenient_conversion_are_reported_again(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(BROKEN, seeds)
    docs = copy_project(tmp_path / "project") / "docs"
    first = convert(seeds, docs, strict=False)
    assert first.problems and first.knowledge is not None
    again = convert(seeds, docs, strict=False)
    assert again.knowledge is None
    assert (again.problems, again.notices, again.summary) == (first.problems, first.notices, first.summary)
    # A strict conversion of the same seeds is another conversion: it stops on the problems.
    strict = convert(seeds, docs, strict=True)
    assert strict.problems == first.problems and strict.report is None
    assert (docs / layout.REFERENCES_CACHE).is_file()


# --- pages kept from the previous conversion -------------------------------------------------------

FIRST, SECOND = sorted(SEEDS.glob("*.txt"))
NOTED = "2503.18878"  # the first paper of the first digest


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _change(change: str, seeds: Path, docs: Path) -> None:
    if change == "a digest added":
        shutil.copy2(SECOND, seeds)
    elif change == "a title changed":
        _replace_in(seeds / FIRST.name, "## I Have Covered All the Bases Here",
                    "## I Have Covered Most of the Bases Here")
    elif change == "an author changed":
        _replace_in(seeds / "metadata.toml", '"Aleksandr Nesterov"', '"Alexander Nesterov"')
    elif change == "a topic renamed":  # in English: related lists name topics in Chinese
        _replace_in(docs / "_data" / "taxonomy.toml", 'name = "Interpretability"',
                    'name = "Interpretation"')
    elif change == "a note added":
        (seeds / "notes").mkdir()
        (seeds / "notes" / f"{NOTED}.md").write_text("---\nauthors: [Ada]\n---\n\nWorth a read.\n",
                                                     encoding="utf-8")
    elif change == "a digest named":
        (seeds / "digests.toml").write_text(f'["{FIRST.stem}"]\ntitle = "The first one"\n',
                                            encoding="utf-8")


def _texts(docs: Path) -> dict[str, bytes]:
    return {name: content for name, (content, _) in _tree(docs).items()}


@pytest.mark.parametrize("change", ["a digest added", "a title changed", "an author changed",
                                    "a topic renamed", "a note added", "a digest named"])
def test_a_conversion_keeping_pages_of_the_previous_one_writes_what_a_fresh_one_writes(
        tmp_path, change, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy2(FIRST, seeds)
    for name in ("metadata.toml",):
        shutil.copy2(SEEDS / name, seeds)
    if change != "a digest added":
        shutil.copy2(SECOND, seeds)
    docs = copy_project(tmp_path / "project") / "docs"
    convert(seeds, docs)
    pages = {p.name for p in (docs / "papers").glob("*.md")}

    _change(change, seeds, docs)
    answers: dict[str, bool] = {}
    holds = KeptPages.holds

    def noted(self, path, shown):
        answers[path] = holds(self, path, shown)
        return answers[path]

    monkeypatch.setattr(KeptPages, "holds", noted)
    convert(seeds, docs)
    monkeypatch.undo()
    fresh = copy_project(tmp_path / "fresh") / "docs"
    shutil.copytree(docs / "_data", fresh / "_data", dirs_exist_ok=True)
    convert(seeds, fresh)
    assert _texts(docs) == _texts(fresh)
    # Every paper page was asked about; some were kept, and the changed paper's was not.
    assert set(answers) == {f"papers/{name}" for name in pages} | (
        {f"papers/{p.name}" for p in (docs / "papers").glob("*.md")})
    assert any(answers.values())
    if change in ("a title changed", "a note added"):
        assert not answers[f"papers/{NOTED}.md"]
    if change == "an author changed":
        assert not answers["papers/2502.21263.md"]


# --- results memoised from the previous conversion -------------------------------------------------


def test_a_digest_added_is_the_only_digest_parsed_and_only_its_papers_are_matched(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy2(FIRST, seeds)
    shutil.copy2(SEEDS / "metadata.toml", seeds)
    docs = copy_project(tmp_path / "project") / "docs"
    first = convert(seeds, docs)
    assert (docs / CONVERSION_MEMO).is_file()
    parsed: list[str] = []
    classified: list[str] = []
    written: list[str] = []
    parse_bytes, classify = parsing.parse_bytes, enriched.classify
    bibtex_entry, json_record = citation_formats._bibtex_entry, citation_formats.csl_json_record
    monkeypatch.setattr(parsing, "parse_bytes",
                        lambda data, path: parsed.append(path.name) or parse_bytes(data, path))
    monkeypatch.setattr(enriched, "classify", lambda paper, taxonomy: (
        classified.append(paper.arxiv_id) or classify(paper, taxonomy)))
    monkeypatch.setattr(citation_formats, "_bibtex_entry", lambda citation, *rest: (
        written.append(citation.arxiv_id) or bibtex_entry(citation, *rest)))
    encoded: list[str] = []
    monkeypatch.setattr(citation_formats, "csl_json_record", lambda record: (
        encoded.append(record["number"].removeprefix("arXiv:")) or json_record(record)))
    shutil.copy2(SECOND, seeds)
    second = convert(seeds, docs)
    assert parsed == [SECOND.name]
    assert set(encoded) and set(encoded) <= new_or_recited(first, second)
    new = set(second.knowledge.papers) - set(first.knowledge.papers)
    assert new and set(classified) == new and set(written) <= new_or_recited(first, second)
    monkeypatch.undo()
    fresh = copy_project(tmp_path / "fresh") / "docs"
    convert(seeds, fresh)
    assert _texts(docs) == _texts(fresh)


def new_or_recited(first, second) -> set[str]:
    """Papers new in the second conversion, or whose citation or key it changed (a key can shift
    when another paper takes its name)."""
    before = first.knowledge.papers
    return {pid for pid, item in second.knowledge.papers.items()
            if pid not in before or (item.citation, item.cite_key) != (before[pid].citation,
                                                                       before[pid].cite_key)}


@pytest.mark.parametrize("memo", ["damaged", "of other code"])
def test_a_memo_that_is_not_this_codes_is_not_used(converted, memo):
    seeds, docs = converted
    path = docs / CONVERSION_MEMO
    if memo == "damaged":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        conversion_state.save_memo(docs, Memo("other code", {b"any": "thing"}))
    loaded = conversion_state.load_memo(docs, conversion_state.code_fingerprint())
    assert loaded.get("kind", "key", lambda: "computed") == "computed" and loaded.computed == 1
    _replace_in(seeds / FIRST.name, "## I Have Covered All the Bases Here", "## Another Title")
    convert(seeds, docs)  # computes everything again, and keeps a memo of this code
    fresh = copy_project(docs.parent.parent / "fresh") / "docs"
    convert(seeds, fresh)
    assert _texts(docs) == _texts(fresh)
    kept = conversion_state.load_memo(docs, conversion_state.code_fingerprint())
    assert kept.get("digest", (str(seeds / SECOND.name), (seeds / SECOND.name).read_bytes()),
                    lambda: None) is not None and kept.computed == 0
