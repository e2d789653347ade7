"""The team's notes, reading lists and articles (issue 19): read, checked, shown, linked both ways."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import jsonschema
import pybtex.database
import pytest

from tests.conftest import ROOT, SEEDS, body_text, build_report, copy_project, soup, sphinx_build
from tools.pipeline import check
from tools.read.reading_lists import read_lists
from tools.read.writings import read_articles, read_notes

DOCS = ROOT / "docs"
NOTED, CITED = "2503.18878", "2503.03601"  # both in the shipped fixture digests
CITE_KEY = "kuznetsov2025featurelevel"  # CITED's key (tools/enrich/citekeys.py)
NOTE = f"""---
authors: [Ada Lovelace, Grace Hopper]
date: 2026-11-30
tags: [interpretability]
---
# Why it matters

A sparse code: $\\min_z \\|x - Dz\\|_1$, as in {{cite:p}}`{CITE_KEY}`;
compare {{paper}}`{CITED}` and see {{term}}`Sparse autoencoder`.
Only this note says quokkaword.

```python
# a code block names nothing: {{paper}}`2501.00001`
```
"""
LIST = f"""title = "Where to start on SAEs"
description = "Two papers, in reading order."

[[papers]]
id = "{NOTED}"
why = "The reasoning features."

[[papers]]
id = "{CITED}"
"""
ARTICLE = f"""---
authors: Ada Lovelace
date: 2026-12-01
---
# SAEs, a reading-group write-up

We read {{paper}}`{CITED}`.

## Takeaways

$$
E = mc^2
$$
"""


def team_seeds(folder: Path, note: str = NOTE) -> Path:
    shutil.copytree(SEEDS, folder)
    for name, text in ((f"notes/{NOTED}.md", note), ("lists/start-here.toml", LIST),
                       ("articles/sae-survey.md", ARTICLE)):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- reading and checking (no Sphinx) ---------------------------------------------------------------

def test_a_note_is_read_with_its_front_matter_and_the_papers_it_names(tmp_path):
    seeds = team_seeds(tmp_path / "seeds")
    (note,), problems = read_notes(seeds)
    assert problems == ()
    assert (note.key, note.authors, note.tags, note.date.isoformat()) == (
        NOTED, ("Ada Lovelace", "Grace Hopper"), ("interpretability",), "2026-11-30")
    assert note.body_start == 5  # the include starts after the front matter
    assert [(r.kind, r.target, r.source.line) for r in note.references] == [
        ("cite", CITE_KEY, 8), ("paper", CITED, 9), ("term", "Sparse autoencoder", 9)]


def test_an_article_takes_its_title_from_its_first_heading(tmp_path):
    seeds = team_seeds(tmp_path / "seeds")
    (article,), problems = read_articles(seeds)
    assert problems == ()
    assert article.title == "SAEs, a reading-group write-up"
    assert article.body_start == 5  # past the front matter and the title, which the page prints


@pytest.mark.parametrize(("text", "line", "reason"), [
    ("---\nauthors: [Ada\n", 1, "never closed"),
    ("---\ndate: someday\n---\nText.\n", 2, "'date' is a date"),
    ("---\nauthors: 3\n---\n", 2, "a name or a list of names"),
    ("---\nreviewer: Ada\n---\n", 2, "unknown field 'reviewer'"),
    ("Text and {paper}`2501.00001`.\n", 1, "a paper no digest holds"),
    ("Text.\n\n```{note}\n:class: tip\n\nSee {cite:t}`nobody2025`.\n```\n", 6,
     "no paper has this citation key"),
    ("Some\n{term}`Quantum gravity` here.\n", 2, "not a term of the glossary"),
])
def test_a_problem_of_a_note_is_named_at_its_line(tmp_path, text, line, reason):
    seeds = team_seeds(tmp_path / "seeds", note=text)
    problems = [p for p in check(seeds, DOCS).problems if "notes/" in str(p.source.path)]
    assert [(p.source.line, reason in p.reason) for p in problems] == [(line, True)], problems


def test_problems_of_the_notes_folder_and_of_lists(tmp_path):
    seeds = team_seeds(tmp_path / "seeds")
    (seeds / "notes" / "2501.00001.md").write_text("A paper we do not hold.\n", encoding="utf-8")
    (seeds / "notes" / "not-an-id.md").write_text("Text.\n", encoding="utf-8")
    (seeds / "notes" / "2503.20215.md").write_bytes("Caf\xe9\n".encode("latin-1"))
    (seeds / "lists" / "broken.toml").write_text('title = "x"\n[[papers]\n', encoding="utf-8")
    (seeds / "lists" / "gaps.toml").write_text(
        'title = "Gaps"\n\n[[papers]]\nwhy = "no id"\n\n[[papers]]\nid = "2501.00001"\n', encoding="utf-8")
    found = {(p.source.path.name, p.source.line, p.kind) for p in check(seeds, DOCS).problems}
    assert found == {("2501.00001.md", 1, "note-paper"), ("not-an-id.md", 0, "note-name"),
                     ("2503.20215.md", 1, "not-utf8"), ("broken.toml", 2, "list-toml"),
                     ("gaps.toml", 3, "list-entry"), ("gaps.toml", 6, "list-paper")}


def test_a_reading_list_keeps_the_teams_order_and_why(tmp_path):
    seeds = team_seeds(tmp_path / "seeds")
    (reading_list,), problems = read_lists(seeds)
    assert problems == ()
    assert [(i.arxiv_id, i.why, i.source.line) for i in reading_list.items] == [
        (NOTED, "The reasoning features.", 4), (CITED, "", 8)]


def test_a_folder_of_digests_alone_gets_no_team_pages(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    result = check(tmp_path / "seeds", DOCS)
    assert result.problems == () and result.knowledge is not None
    assert result.knowledge.writings.notes == {} and result.knowledge.writings.lists == ()


def test_the_note_command_creates_a_note_with_its_front_matter(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    run = [sys.executable, "-m", "tools", "note", CITED, str(seeds), "--author", "Ada Lovelace"]
    created = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=True)
    path = seeds / "notes" / f"{CITED}.md"
    assert str(path) in created.stdout
    (note,), problems = read_notes(seeds)
    assert problems == () and note.authors == ("Ada Lovelace",) and note.date is not None
    assert check(seeds, DOCS).problems == ()  # the skeleton's hints are comments
    path.write_text("mine\n", encoding="utf-8")
    subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=True)
    assert path.read_text(encoding="utf-8") == "mine\n"  # never overwritten
    missing = subprocess.run([*run[:4], "2501.00001", str(seeds)], cwd=ROOT, capture_output=True,
                             text=True, check=False)
    assert missing.returncode == 2 and "no digest" in missing.stderr


# --- the site ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def team_build(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(project, seeds, build folder) of the fixture digests with a note, a list and an article."""
    root = tmp_path_factory.mktemp("team")
    seeds = team_seeds(root / "seeds")
    project = copy_project(root / "project")
    sphinx_build(project, seeds, root / "build")
    return project, seeds, root / "build"


@pytest.mark.slow
def test_the_note_is_on_its_papers_page_with_math_citation_link_and_term(team_build):
    site = team_build[2] / "html"
    page = soup(site / "papers" / f"{NOTED}.html")
    notes = page.find(id="notes")
    assert notes is not None
    section = notes.get_text(" ", strip=True)
    assert "Ada Lovelace, Grace Hopper · 2026-11-30" in section and "quokkaword" in section
    assert notes.find("math") is not None  # $...$ became MathML
    hrefs = {a.get("href") for a in notes.find_all("a")}
    assert f"../bibliography.html#cite-{CITE_KEY}" in hrefs or any(
        h and h.endswith(f"#cite-{CITE_KEY}") for h in hrefs)
    linked = notes.find("a", href=f"{CITED}.html")
    assert linked is not None and linked.get_text(" ", strip=True).startswith("Feature-Level Insights")
    assert any(h and "glossary.html#term-" in h for h in hrefs)
    assert "2501.00001" in section  # the code block is shown as code, not linked
    assert notes.find("a", href=re.compile("2501.00001")) is None


@pytest.mark.slow
def test_a_word_only_in_a_note_finds_its_paper(team_build):
    site = team_build[2] / "html"
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", text, re.DOTALL).group(1))
    hits = index["terms"]["quokkaword"]
    assert [index["docnames"][i] for i in ([hits] if isinstance(hits, int) else hits)] == [f"papers/{NOTED}"]


@pytest.mark.slow
def test_the_list_page_its_bib_and_its_feed(team_build):
    site = team_build[2] / "html"
    page = soup(site / "lists" / "start-here.html")
    assert page.find("link", rel="alternate", href="start-here.xml") is not None
    text = body_text(site / "lists" / "start-here.html")
    assert "The reasoning features." in text and text.index(NOTED) < text.index(CITED)
    bib = pybtex.database.parse_file(str(site / "lists" / "start-here.bib"))
    assert len(bib.entries) == 2
    feed = feedparser.parse((site / "lists" / "start-here.xml").read_bytes())
    assert not feed.bozo and [e.link.rsplit("/", 1)[-1] for e in feed.entries] == [
        f"{NOTED}.html", f"{CITED}.html"]
    home = soup(site / "index.html")
    assert home.find("a", href="lists/start-here.html") is not None
    assert home.find("a", href="articles/sae-survey.html") is not None
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    schema = json.loads((DOCS / "_data" / "papers.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)  # the team's fields are in the schema too
    assert data["lists"][0]["papers"] == [{"id": NOTED, "why": "The reasoning features."},
                                          {"id": CITED, "why": ""}]
    assert data["articles"][0]["slug"] == "sae-survey"
    by_id = {paper["id"]: paper for paper in data["papers"]}
    assert by_id[NOTED]["note"]["authors"] == ["Ada Lovelace", "Grace Hopper"]
    assert by_id[CITED]["lists"] == ["start-here"] and by_id[CITED]["note"] is None


@pytest.mark.slow
def test_the_cited_paper_links_back_to_the_note_the_list_and_the_article(team_build):
    site = team_build[2] / "html"
    page = soup(site / "papers" / f"{CITED}.html")
    back = {a.get("href") for section in (page.find(id="referenced-by"), page.find(id="in-lists"))
            for a in section.find_all("a")}
    assert {f"{NOTED}.html", "../lists/start-here.html", "../articles/sae-survey.html"} <= back
    article = soup(site / "articles" / "sae-survey.html")
    assert article.find("h1").get_text(strip=True).startswith("SAEs, a reading-group write-up")
    assert article.find("math") is not None
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert any(e.link.endswith("articles/sae-survey.html") for e in feed.entries)
    assert "笔记 · note" in body_text(site / "lists" / "start-here.html")  # the noted paper's badge


@pytest.mark.slow
def test_a_note_naming_a_missing_paper_fails_the_strict_build_and_lenient_builds_the_rest(tmp_path):
    seeds = team_seeds(tmp_path / "seeds", note="Compare {paper}`2501.00001`.\n")
    project = copy_project(tmp_path / "project")
    strict = sphinx_build(project, seeds, tmp_path / "strict", check=False)
    assert strict.returncode != 0
    named = rf"notes/{re.escape(NOTED)}\.md:1: (WARNING: )?\{{paper\}}`2501\.00001`: a paper no digest"
    assert re.search(named, strict.stdout + strict.stderr)
    sphinx_build(project, seeds, tmp_path / "lenient", strict=False)
    page = soup(tmp_path / "lenient" / "html" / "papers" / f"{NOTED}.html")
    assert page.find(id="notes") is None  # the note is left out; the list and article are built
    assert (tmp_path / "lenient" / "html" / "lists" / "start-here.html").is_file()


@pytest.mark.slow
def test_editing_a_note_rereads_only_its_paper_and_equals_a_clean_build(tmp_path):
    from tests.test_incremental import _tree

    seeds = team_seeds(tmp_path / "seeds")
    project = copy_project(tmp_path / "project")
    sphinx_build(project, seeds, tmp_path / "incremental")
    note = seeds / "notes" / f"{NOTED}.md"
    note.write_text(note.read_text(encoding="utf-8").replace("quokkaword", "wombatword"), encoding="utf-8")
    sphinx_build(project, seeds, tmp_path / "incremental")
    assert set(build_report(tmp_path / "incremental")["read"]) == {f"papers/{NOTED}"}

    # A new note: its paper, the papers it links (backlinks), the notes page, and the lists
    # whose cards of the paper gain the badge; never the whole site.
    (seeds / "notes" / "2503.20215.md").write_text(f"See {{paper}}`{CITED}`.\n", encoding="utf-8")
    sphinx_build(project, seeds, tmp_path / "incremental")
    read = set(build_report(tmp_path / "incremental")["read"])
    assert {"papers/2503.20215", f"papers/{CITED}", "notes"} <= read
    assert not any(name.startswith("papers/") for name in read - {"papers/2503.20215", f"papers/{CITED}"})

    clean_project = copy_project(tmp_path / "clean-project")
    sphinx_build(clean_project, seeds, tmp_path / "clean")
    incremental, clean = _tree(tmp_path / "incremental" / "html"), _tree(tmp_path / "clean" / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []
    assert "wombatword" in body_text(tmp_path / "clean" / "html" / "papers" / f"{NOTED}.html")


@pytest.mark.slow
def test_a_myst_warning_in_a_note_names_the_note_and_an_unclosed_fence_ends_with_it(tmp_path):
    seeds = team_seeds(tmp_path / "seeds", note="Fine.\n\nA {nosuchrole}`x` here.\n\n````{note}\nUnclosed\n")
    project = copy_project(tmp_path / "project")
    strict = sphinx_build(project, seeds, tmp_path / "build", check=False)
    assert strict.returncode != 0
    assert f"seeds/notes/{NOTED}.md:3: WARNING: Unknown interpreted text role" in strict.stderr
    page = soup(tmp_path / "build" / "html" / "papers" / f"{NOTED}.html")
    # The fence closes with the note: the page's own sections after it are still sections.
    assert page.find(id="cite") is not None and page.find(id="in-lists") is not None
