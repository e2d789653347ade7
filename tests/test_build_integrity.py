"""Builds that cannot be left half-done, mixed or silently wrong.

Interrupted, repeated and concurrent builds end with the clean build's site, byte
for byte; a build that failed (an error, a warning) is never trusted by the next.
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

from .conftest import ROOT, SEEDS, copy_project, paper_pages, sphinx_build

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
    docs = tmp_path / "docs"  # its lock is beside it, in tmp_path
    holder = subprocess.run([sys.executable, "-c", _HOLD_THEN_DIE, str(docs)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert holder.returncode == -signal.SIGKILL
    child = int(holder.stdout)
    try:
        taker = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from tools.files.lock import "
             "FolderLock; FolderLock(Path(sys.argv[1])).acquire(); print('acquired')", str(docs)],
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
                if line.strip().startswith("eprint =")} == ids
        assert {item["number"].removeprefix("arXiv:") for item in
                json.loads((html / "refs.json").read_text(encoding="utf-8"))} == ids


@pytest.mark.slow
def test_a_build_that_failed_on_a_warning_is_not_trusted_by_the_next(tmp_path):
    """With -W a warning fails the build; the next build must fail again, not re-read nothing."""
    project = copy_project(tmp_path / "project")
    (project / "docs" / "notes.md").write_text("# Notes\n\nSee {doc}`no-such-page`.\n", encoding="utf-8")
    first = sphinx_build(project, SEEDS, tmp_path / "out", check=False)
    assert first.returncode == 1 and "no-such-page" in first.stderr
    again = sphinx_build(project, SEEDS, tmp_path / "out", check=False)
    assert again.returncode == 1 and "no-such-page" in again.stderr
