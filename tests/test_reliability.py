"""Reliability (issue 11): builds that cannot be left half-done, mixed or silently wrong.

Interrupted, repeated and concurrent builds end with the clean build's site, byte
for byte; whatever the checker passes, the build builds, and what it would fail
on, the checker names with file:line.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS, copy_project, paper_page, paper_pages, sphinx_build

pytestmark = pytest.mark.reliability

EXTRA = ROOT / "tests" / "fixtures" / "extra"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _differences(one: Path, other: Path) -> list[str]:
    first, second = _tree(one), _tree(other)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


def _command(project: Path, seeds: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going",
            "-d", str(out / "doctrees"), "-D", f"paperkb_seeds={seeds}", "-D", "paperkb_strict=1",
            str(project), str(out / "html")]


def _environment(**extra: str) -> dict[str, str]:
    # English console messages (the kill points below are found in them), unbuffered.
    return {**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": "en", "PYTHONUNBUFFERED": "1", **extra}


def _seeds_with_extra(folder: Path) -> Path:
    shutil.copytree(SEEDS, folder)
    for digest in EXTRA.glob("*.txt"):
        shutil.copy2(digest, folder)
    return folder


@pytest.fixture(scope="session")
def clean_extra_build(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A clean build of the seeds plus the extra digest: (seeds, html folder, its TMPDIR)."""
    base = tmp_path_factory.mktemp("clean-extra")
    seeds = _seeds_with_extra(base / "seeds")
    project = copy_project(base / "project")
    temporary = base / "tmp"
    temporary.mkdir()
    run = subprocess.run(_command(project, seeds, base / "out"), cwd=project, capture_output=True,
                         text=True, timeout=600, env=_environment(TMPDIR=str(temporary)))
    assert run.returncode == 0, run.stdout + run.stderr
    return seeds, base / "out" / "html", temporary


# --- 1. Interrupted and repeated builds -----------------------------------------------------

@pytest.mark.slow
def test_a_second_build_without_change_equals_the_clean_build_searchindex_included(tmp_path, seeds_site):
    project = copy_project(tmp_path / "project")
    sphinx_build(project, SEEDS, tmp_path / "out")
    sphinx_build(project, SEEDS, tmp_path / "out")
    html = tmp_path / "out" / "html"
    index = (html / "searchindex.js").read_text(encoding="utf-8")
    entries = json.loads(index[index.index("(") + 1: index.rindex(")")])["indexentries"]
    assert {"grpo", "benchmark", "diffusion model"} <= set(entries)
    assert _differences(html, seeds_site) == []


# (signal, the console line at which it is sent, how many such lines to wait for)
KILL_POINTS = [
    pytest.param(signal.SIGKILL, "reading sources", 3, id="sigkill-reading"),
    pytest.param(signal.SIGKILL, "pickling environment", 1, id="sigkill-pickling"),
    pytest.param(signal.SIGINT, "writing output", 12, id="sigint-writing"),
    pytest.param(signal.SIGKILL, "writing output", 30, id="sigkill-writing"),
    pytest.param(signal.SIGKILL, "dumping search index", 1, id="sigkill-finishing"),
]


def _interrupted_build(project: Path, seeds: Path, out: Path, sig: signal.Signals, line: str,
                       count: int) -> str:
    """Run a build and send it ``sig`` at the ``count``-th console line holding ``line``."""
    # A shell starts background commands with SIGINT ignored, and the build would inherit
    # that (Python leaves an ignored SIGINT ignored): give it Ctrl-C's default meaning.
    process = subprocess.Popen(_command(project, seeds, out), cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=_environment(),
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stdout is not None
    seen, output = 0, []
    for text in process.stdout:
        output.append(text)
        if line in text:
            seen += 1
            if seen == count:
                process.send_signal(sig)
                break
    process.stdout.close()
    returncode = process.wait(timeout=120)
    assert seen == count and returncode != 0, "".join(output)
    return "".join(output)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "line", "count"), KILL_POINTS)
def test_an_interrupted_build_is_redone_by_the_next(tmp_path, clean_extra_build, sig, line, count):
    _, clean_html, _ = clean_extra_build
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    sphinx_build(project, seeds, out)  # a finished build of the seeds...
    for digest in EXTRA.glob("*.txt"):  # ...then a digest is added and the next build interrupted
        shutil.copy2(digest, seeds)
    _interrupted_build(project, seeds, out, sig, line, count)
    after = sphinx_build(project, seeds, out)
    assert _differences(out / "html", clean_html) == []
    assert "did not finish" in after.stderr  # and the build says what it redid
    again = sphinx_build(project, seeds, out)  # and a finished build is trusted again
    assert "did not finish" not in again.stderr
    assert _differences(out / "html", clean_html) == []


@pytest.mark.slow
@pytest.mark.parametrize("content", [b"", b"garbage\n"], ids=["empty", "garbled"])
def test_a_broken_buildinfo_is_recovered_from(tmp_path, seeds_site, content):
    # A build on a full disk leaves html/.buildinfo empty; Sphinx then failed every later
    # build (IndexError; a garbled one is a warning, which -W makes an error).
    project = copy_project(tmp_path / "project")
    sphinx_build(project, SEEDS, tmp_path / "out")
    (tmp_path / "out" / "html" / ".buildinfo").write_bytes(content)
    run = sphinx_build(project, SEEDS, tmp_path / "out")
    assert "did not finish" in run.stderr
    assert _differences(tmp_path / "out" / "html", seeds_site) == []


@pytest.mark.slow
def test_a_build_writes_nothing_into_the_temporary_folder(clean_extra_build):
    _, html, temporary = clean_extra_build
    assert sorted(p.name for p in temporary.iterdir()) == []
    assert (html.parent / "doctrees" / "jieba.cache").is_file()


# --- 2. Concurrent builds ---------------------------------------------------------------------


_HOLD_THEN_DIE = """
import os, signal, sys, time
from pathlib import Path
from tools.files.lock import FolderLock
FolderLock(Path(sys.argv[1])).acquire()
child = os.fork()
if child == 0:  # a child that outlives its parent, as a multiprocessing manager does
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    os.dup2(null, 2)
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_lock_dies_with_the_build_not_with_the_processes_it_forked(tmp_path):
    holder = subprocess.run([sys.executable, "-c", _HOLD_THEN_DIE, str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert holder.returncode == -signal.SIGKILL
    child = int(holder.stdout)
    try:
        taker = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from tools.files.lock import "
             "FolderLock; FolderLock(Path(sys.argv[1])).acquire(); print('acquired')", str(tmp_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=20)
    finally:
        os.kill(child, signal.SIGKILL)
    assert taker.stdout.strip() == "acquired" and "waiting" not in taker.stderr

@pytest.mark.slow
def test_two_builds_of_one_checkout_at_once_each_get_their_own_site(tmp_path):
    from tools.read.parse import parse_folder

    project = copy_project(tmp_path / "project")
    first = tmp_path / "first"
    shutil.copytree(SEEDS, first)
    second = tmp_path / "second"
    second.mkdir()
    for digest in EXTRA.glob("*.txt"):
        shutil.copy2(digest, second)
    runs = [subprocess.Popen(_command(project, seeds, tmp_path / f"out-{seeds.name}"), cwd=project,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=_environment())
            for seeds in (first, second)]
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert sum("waiting for another build of this checkout" in err for _, err in results) == 1, results
    for seeds in (first, second):
        html = tmp_path / f"out-{seeds.name}" / "html"
        ids = {entry.arxiv.id for entry in parse_folder(seeds).entries}
        assert {p.stem for p in paper_pages(html)} == ids
        assert {p.stem for p in (html / "papers").glob("*.bib")} == ids
        refs = (html / "refs.bib").read_text(encoding="utf-8")
        assert {line.split("{")[1].split("}")[0] for line in refs.splitlines()
                if line.strip().startswith("eprint")} == ids
        assert {item["number"].removeprefix("arXiv:") for item in
                json.loads((html / "refs.json").read_text(encoding="utf-8"))} == ids


# --- 3. One checker, one truth: what `check` passes, the build builds ----------------------------

def _check(capsys, folder: Path) -> tuple[int, str]:
    from tools.cli import main

    status = main(["check", str(folder), "--docs", str(ROOT / "docs")])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def _digest(folder: Path, name: str, title: str, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"## {title}\n[中文标题]({url})\n\n摘要。\n", encoding="utf-8")
    return path


BAD_IDS = ["2500.00001", "2513.00001", "2599.12345", "0713.1234", "hep-th/9900001", "hep-th/9913001",
           "hep-th/9107001", "hep-th/0801001", "math.GT/0313136", "0703.1234", "1412.12345", "1501.1234"]
GOOD_IDS = ["2503.18878", "0704.0001", "1412.9999", "1501.00001", "hep-th/9108001", "hep-th/0703999",
            "math.GT/0309136", "2512.99999"]


@pytest.mark.parametrize("arxiv_id", BAD_IDS)
def test_ids_outside_arxivs_grammar_are_problems_with_file_and_line(tmp_path, capsys, arxiv_id):
    _digest(tmp_path / "seeds", "001_ids.txt", "A Paper", f"https://arxiv.org/abs/{arxiv_id}")
    status, output = _check(capsys, tmp_path / "seeds")
    assert status == 1, output
    assert "001_ids.txt:2: " in output and arxiv_id in output


@pytest.mark.parametrize("arxiv_id", GOOD_IDS)
def test_ids_of_arxivs_grammar_are_accepted(arxiv_id):
    from tools import arxiv

    assert arxiv.parse_url(f"https://arxiv.org/abs/{arxiv_id}v3") == arxiv.ArxivRef(arxiv_id, 3)
    year, month = arxiv.year_month(arxiv_id)
    assert 1991 <= year <= 2099 and 1 <= month <= 12


CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\ufdd0",
            "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]


def test_control_characters_are_removed_with_a_note_and_reach_no_output(tmp_path, capsys):
    import yaml

    from tools.enrich import enrich
    from tools.model import build_corpus
    from tools.read import curated as knowledge
    from tools.read.parse import parse_folder
    from tools.render.pages import render_site

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    controls = "".join(CONTROLS)
    (seeds / "001_controls.txt").write_text(
        f"## Con{controls}trol Title\n[中文{controls}标题](https://arxiv.org/abs/2503.00001)\n\n"
        f"摘要{controls}正文。\n", encoding="utf-8")
    status, output = _check(capsys, seeds)
    assert status == 0, output
    for line in (1, 2, 4):
        assert f"001_controls.txt:{line}: removed control character(s) U+0000, U+0001" in output
    parsed = parse_folder(seeds)
    (entry,) = parsed.entries
    assert (entry.title, entry.title_zh, entry.abstract) == ("Control Title", "中文标题", ("摘要正文。",))
    data = ROOT / "docs" / "_data"
    site = render_site(enrich(build_corpus(parsed.entries), knowledge.load_taxonomy(data / "taxonomy.toml"),
                              knowledge.load_glossary(data / "glossary.toml")))
    for path, text in site.items():
        assert not any(char in text for char in CONTROLS), path
        if path.endswith(".md") and text.startswith("---\n"):
            yaml.safe_load(text.split("---\n", 2)[1])  # the front matter stays YAML


def test_files_that_are_not_digests_are_named_as_ignored(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    _digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    _digest(seeds, "index.txt", "Collides", "https://arxiv.org/abs/2503.00002")  # digests/index
    _digest(seeds, "002_upper.TXT", "Upper", "https://arxiv.org/abs/2503.00003")
    _digest(seeds, "notes.md", "Notes", "https://arxiv.org/abs/2503.00004")
    (seeds / "003_folder.txt").mkdir()
    status, output = _check(capsys, seeds)
    assert status == 0 and "1 entries" in output, output
    assert f"{seeds / 'index.txt'}: ignored, not a digest: not named NNN_<name>.txt" in output
    upper = seeds / "002_upper.TXT"
    assert f"{upper}: ignored, not a digest: the extension must be lower-case .txt" in output
    assert f"{seeds / 'notes.md'}: ignored, not a digest" in output
    assert f"{seeds / '003_folder.txt'}: ignored, not a digest: a folder" in output
    assert "metadata.toml" not in output


def test_a_digest_that_cannot_be_read_is_a_problem_line(tmp_path, capsys, monkeypatch):
    seeds = tmp_path / "seeds"
    _digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    (seeds / "002_gone.txt").symlink_to(tmp_path / "nowhere.txt")  # unreadable, even for root
    status, output = _check(capsys, seeds)
    assert status == 1 and "Traceback" not in output, output
    assert f"{seeds / '002_gone.txt'}:1: cannot be read" in output
    (seeds / "002_gone.txt").unlink()
    from tools.read import parse

    original = parse._open_nonblocking

    def refuse(path: str, flags: int) -> int:  # root reads any mode: refuse as the kernel would
        if Path(path).name == "001_real.txt":
            raise PermissionError(13, "Permission denied")
        return original(path, flags)

    monkeypatch.setattr(parse, "_open_nonblocking", refuse)
    status, output = _check(capsys, seeds)
    assert status == 1 and f"{seeds / '001_real.txt'}:1: cannot be read: Permission denied" in output


# --- 4. Metadata is input too ------------------------------------------------------------------

METADATA_ERRORS = [
    ('["2503.00001"]\ntitle = "T"\nauthors = 3\n', "3: authors: expected a list of strings"),
    ('["2503.00001"]\nauthors = "Ada Lovelace"\n', "2: authors: expected a list of strings"),
    ('["2503.00001"]\n\ncategories = "cs.LG"\n', "3: categories: expected a list of strings"),
    ('["2503.00001"]\nsources = [1, 2]\n', "2: sources: expected a list of strings"),
    ('["2503.00001"]\nprimary_category = ["cs.LG"]\n', "2: primary_category: expected a string"),
    ('["2503.00001"]\ncomplete = "yes"\n', "2: complete: expected true or false"),
    ('["2503.00001"]\npublished = "2025-03-01"\n', "2: published: expected a date such as 2025-03-13"),
    ('["2503.00001"]\npublished = 2025-03-01T10:00:00\n', "2: published: expected a date"),
    ('["2503.00001"]\nauthor = ["Ada"]\n', "2: author: unknown field"),
    ('["2503.00001"]\ntitle = "A\\u0000B"\n', "2: title: control character(s) U+0000"),
    ("# c\n[2503.00001]\ntitle = 'T'\n", "2: ['2503']: not an arXiv identifier"),  # bare: a table 2503
    ('["2513.00001"]\ntitle = "T"\n', "1: ['2513.00001']: no month 13"),
    ('["2503.00001"]\ntitle = "T"\n["2503.00002"]\ntitle = "U"\nauthors = {a = 1}\n',
     "5: authors: expected a list of strings"),
]


@pytest.mark.parametrize(("text", "message"), METADATA_ERRORS)
def test_malformed_metadata_is_named_with_file_line_and_field(tmp_path, capsys, text, message):
    seeds = tmp_path / "seeds"
    _digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    (seeds / "metadata.toml").write_text(text, encoding="utf-8")
    status, output = _check(capsys, seeds)
    assert status == 2 and "Traceback" not in output, output
    assert f"{seeds / 'metadata.toml'}:{message}" in output


def test_a_metadata_file_that_is_not_utf8_or_not_a_file_is_one_line(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    _digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    (seeds / "metadata.toml").write_bytes('["2503.00001"]\ntitle = "中文"\n'.encode("gb18030"))
    status, output = _check(capsys, seeds)
    assert status == 2 and f"{seeds / 'metadata.toml'}:2: not UTF-8" in output, output
    (seeds / "metadata.toml").unlink()
    (seeds / "metadata.toml").mkdir()
    status, output = _check(capsys, seeds)
    assert status == 2 and f"{seeds / 'metadata.toml'}: cannot be read" in output, output


def test_no_metadata_field_can_inject_bibtex_fields(tmp_path):
    import bibtexparser

    from tools.enrich.enriched import citation
    from tools.model import Paper
    from tools.read import metadata
    from tools.render import bibtex

    path = tmp_path / "metadata.toml"
    hostile = "cs.CL}, note = {injected} , x = {"
    path.write_text('["2503.00001"]\ntitle = "T {x} $y$"\nauthors = ["A} and {B"]\n'
                    + f"primary_category = {json.dumps(hostile)}\n", encoding="utf-8")
    meta = metadata.load(path)["2503.00001"]
    paper = Paper("2503.00001", "T", "中文", ("摘要",), "https://arxiv.org/abs/2503.00001", (), ())
    text = bibtex.write([bibtex.entry(citation(paper, meta), "k")])
    (entry,) = bibtexparser.parse_string(text).entries
    assert set(entry.fields_dict) == {"title", "author", "year", "month", "eprint", "archivePrefix",
                                      "primaryClass", "url"}
    assert "injected" not in {f.key for f in entry.fields} and "note" not in entry.fields_dict


# --- 5. The bibliography as readers read it ----------------------------------------------------

@pytest.mark.slow
def test_the_bibliography_and_tooltips_show_braces_and_dollars_as_characters(hostile_site):
    from .conftest import soup

    shown = 'Title with * _ [ ] < > & " { } % # ~ \\ characters'  # the style's sentence case
    page = soup(hostile_site / "bibliography.html")
    assert any(shown in item.get_text(" ") for item in page.select("div.citation, dd, p")), shown
    assert "textbraceleft" not in page.get_text() and "\\$" not in page.get_text()
    tooltips = [a["title"] for a in soup(hostile_site / "digests" / "101_injection.html").find_all(
        "a", title=True) if "99003" in a["title"]]
    assert tooltips and all(shown in title for title in tooltips), tooltips


@pytest.mark.slow
def test_the_bibliography_and_tooltips_show_formulas_as_text(hostile_site):
    """A bibliography shows no MathML: "$O(n^2)$ ... $\\tanh(\\alpha x)$" reads as O(n^2) ... tanh(αx)."""
    from .conftest import soup

    page = soup(hostile_site / "bibliography.html")
    (entry,) = [item.get_text(" ") for item in page.select("div.citation") if "2503.99006" in item.get_text()]
    assert "O(n^2) attention with tanh(αx) gates" in entry and "$" not in entry and "\\" not in entry
    tooltips = [a["title"] for a in soup(paper_page(hostile_site, "2503.99006")).find_all(
        "a", title=True) if "2503.99006" in a["title"]]
    assert tooltips and all("tanh(αx)" in title and "$" not in title for title in tooltips), tooltips


# --- 6. Paths and exit statuses ---------------------------------------------------------------

@pytest.mark.slow
def test_make_html_builds_a_seeds_folder_and_build_folder_with_spaces(tmp_path):
    project = copy_project(tmp_path / "project")
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy2(ROOT / name, project / name)
    seeds = tmp_path / "my seeds"
    shutil.copytree(EXTRA, seeds)
    run = subprocess.run(["make", "-s", "html", f"VENV={ROOT / '.venv'}", f"SEEDS={seeds}",
                          f"BUILDDIR={tmp_path / 'build dir'}"], cwd=project, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    pages = {p.stem for p in (tmp_path / "build dir" / "html" / "papers").glob("*.html")}
    assert len(pages) == 3


@pytest.mark.slow
def test_a_build_that_failed_on_a_warning_is_not_trusted_by_the_next(tmp_path):
    """With -W a warning fails the build; the next build must fail again, not re-read nothing."""
    project = copy_project(tmp_path / "project")
    (project / "docs" / "notes.md").write_text("# Notes\n\nSee {doc}`no-such-page`.\n", encoding="utf-8")
    first = sphinx_build(project, SEEDS, tmp_path / "out", check=False)
    assert first.returncode == 1 and "no-such-page" in first.stderr
    again = sphinx_build(project, SEEDS, tmp_path / "out", check=False)
    assert again.returncode == 1 and "no-such-page" in again.stderr
