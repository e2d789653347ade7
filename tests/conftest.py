"""Shared fixtures: project copies to build in, builds, HTML parsing helpers.

Build tests never build inside the checkout: each copies conf.py, docs/ (its
hand-written part) and tools/ into a temporary folder and runs Sphinx there
in a subprocess, as `make html` and Read the Docs do.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from tools import layout
from tools.arxiv import page_name
from tools.sphinxext.report import FILENAME as BUILD_REPORT

ROOT = Path(__file__).resolve().parent.parent
# Property tests: a small profile for `make test` and `make test-fast`, a large one on demand
# (HYPOTHESIS_PROFILE=thorough make test-fast, about ten times the examples).
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# sphinx.testing: small projects in tests/roots/test-<name>, for features of one extension
# module (@pytest.mark.sphinx("html", testroot="<name>") and the app fixture).
pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOT / "tests" / "roots"


# The tests build a frozen copy of the shipped digests (and their metadata), never
# the checkout's seeds/: a team adds digests there, and the tests must not change
# with them.
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SHARED = ROOT.parent / "shared"  # the team's shared folder, beside the checkout (CI has it)
# The MyST syntax extensions the site enables (conf.py), for tests that parse MyST alone.
MYST_EXTENSIONS = set(runpy.run_path(str(ROOT / "conf.py"))["myst_enable_extensions"])
# Sphinx colours its output when CI=true; the tests read that output as text.
os.environ["NO_COLOR"] = "1"

GENERATED = ("papers", "topics", "digests", "months", "terms", "bibliography", "book", "index.md",
             "_generated",
             "glossary.md",
             "bibliography.md", "refs.bib", ".generated.json", ".converted.json", ".converted.pickle",
             ".paperkb.lock",
             "notes", "notes.md", "lists", "articles")


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "conf.py", destination / "conf.py")
    shutil.copytree(ROOT / "tools", destination / "tools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", destination / "docs", ignore=shutil.ignore_patterns(*GENERATED))
    return destination


def sphinx_build(project: Path, seeds: Path, out: Path, *extra: str,
                 strict: bool = True, check: bool = True) -> subprocess.CompletedProcess:
    """Run Sphinx the way the Makefile does; return the completed process."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going",
               "-d", str(out / "doctrees"), "-D", f"paperkb_seeds={seeds}",
               "-D", f"paperkb_strict={int(strict)}", *extra, str(project), str(out / "html")]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"sphinx-build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def build_report(out: Path) -> dict[str, Any]:
    """What the last build of ``out`` did (tools/sphinxext/report.py): converter, read, written."""
    report: dict[str, Any] = json.loads((out / "doctrees" / BUILD_REPORT).read_text(encoding="utf-8"))
    return report


# The virtual environment running the tests. Tests that run make give it this one and
# mark its set-up stamps as up to date (-o), so that no test creates a venv or runs pip.
VENV = Path(sys.prefix)


def make_command(*args: str) -> list[str]:
    """``make -s ARGS`` on the tests' environment: its set-up stamps are taken as done."""
    stamps = [f"-o{VENV}/bin/{stamp}" for stamp in (".runtime", ".livehtml", ".dev")]
    return ["make", "-s", f"VENV={VENV}", *stamps, *args]


def run_make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``make -s ARGS`` in a project copy (with its Makefile), on the tests' environment."""
    return subprocess.run(make_command(*args), cwd=project,
                          capture_output=True, text=True, timeout=600)


def project_with_makefile(destination: Path) -> Path:
    project = copy_project(destination)
    for name in ("Makefile", "requirements.txt", "requirements-livehtml.txt", "requirements-dev.txt"):
        shutil.copy2(ROOT / name, project / name)
    return project


def run_check(capsys, folder: Path) -> tuple[int, str]:
    """`python -m tools check folder`, in this process: (exit status, what it printed)."""
    from tools.cli import main

    status = main(["check", str(folder), "--docs", str(ROOT / "docs")])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def write_digest(folder: Path, name: str, title: str, url: str) -> Path:
    """A digest of one entry (a one-line abstract), in folder/name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"## {title}\n[中文标题]({url})\n\n摘要。\n", encoding="utf-8")
    return path


def paper_page(site: Path, arxiv_id: str) -> Path:
    """A paper's page in a built site (tools/layout.py names where; README.md, "Contracts")."""
    return site / layout.PAPERS / f"{page_name(arxiv_id)}.html"


def paper_pages(site: Path) -> list[Path]:
    return sorted((site / layout.PAPERS).glob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def body_text(path: Path) -> str:
    """The visible text of a page's main content."""
    body = soup(path).select_one("div.body")
    assert body is not None, f"no div.body in {path}"
    return body.get_text(" ", strip=False)


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory) -> Path:
    """The site built from the shipped seeds: returns the html output folder."""
    base = tmp_path_factory.mktemp("seeds-site")
    project = copy_project(base / "project")
    sphinx_build(project, SEEDS, base / "out")
    return base / "out" / "html"


@pytest.fixture(scope="module")
def site_url(seeds_site):
    """The seeds' site served on 127.0.0.1 (tests/browser.py): its base URL."""
    from .browser import serve

    with serve(seeds_site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium_browser():
    """Headless Chromium for a module's browser tests; a missing browser fails them."""
    from .browser import browser, require_browser

    require_browser()
    with browser() as instance:
        yield instance


# The command Read the Docs runs (fail_on_warning adds -W --keep-going), from the
# folder of conf.py; Read the Docs passes the project's language, often en.
READTHEDOCS_COMMAND = ["-m", "sphinx", "-T", "-W", "--keep-going", "-b", "html",
                       "-d", "_build/doctrees", "-D", "language=en", "."]


def readthedocs_build(checkout: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *READTHEDOCS_COMMAND, f"{output}/html"], cwd=checkout,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def readthedocs_site(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A checkout with the seeds built the way Read the Docs builds it: (html folder, run)."""
    base = tmp_path_factory.mktemp("readthedocs")
    project = copy_project(base / "checkout")
    shutil.copytree(SEEDS, project / "seeds")
    output = base / "readthedocs-output"
    return output / "html", readthedocs_build(project, output)


@pytest.fixture(scope="session")
def seed_entries():
    from tools.read.parse import parse_folder

    result = parse_folder(SEEDS)
    assert not result.problems
    return result.entries


HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
BROKEN = ROOT / "tests" / "fixtures" / "broken"
MATH_TITLE = r"$O(n^2)$ Attention with $\tanh(\alpha x)$ Gates"
LONG_ABSTRACT = "很长的摘要。" * 6000 + " The end of a very long abstract."
# Inputs that cost time or bytes beyond their size if a limit is missing (issue 16).
NESTED = "\\textbf{" * 200 + "深" + "}" * 200
NESTED_TITLE = "\\textbf{" * 40 + "Nested Title" + "}" * 40
UNCLOSED = "\\textbf{" * 2000 + "\\href{" * 2000 + "ahttp://" * 2000 + "http://a" + ")" * 2000
LONG_FORMULA = "$" + "x+" * 100_000 + "x$ 之后的文字。"
LONG_TITLE = "A Very Long Title " * 1000


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory):
    """The shipped seeds plus the hostile digests, a very long abstract and a title with math."""
    base = tmp_path_factory.mktemp("hostile-site")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    for digest in HOSTILE.glob("*.txt"):
        shutil.copy2(digest, seeds)
    (seeds / "104_long.txt").write_text(
        f"## A Very Long Abstract\n[很长的摘要](https://arxiv.org/abs/2503.99005)\n\n{LONG_ABSTRACT}\n\n"
        f"## {MATH_TITLE}\n[二次注意力](https://arxiv.org/abs/2503.99006)\n\n标题含有公式。\n\n"
        f"## {NESTED_TITLE}\n[深层嵌套](https://arxiv.org/abs/2503.99202)\n\n{NESTED}\n\n"
        f"## Unclosed Groups\n[未闭合的组](https://arxiv.org/abs/2503.99203)\n\n{UNCLOSED}\n\n"
        f"## A Long Formula\n[长公式](https://arxiv.org/abs/2503.99204)\n\n{LONG_FORMULA}\n\n"
        f"## {LONG_TITLE}\n[很长的标题](https://arxiv.org/abs/2503.99205)\n\n标题很长。\n",
        encoding="utf-8")
    project = copy_project(base / "project")
    result = sphinx_build(project, seeds, base / "out")
    return seeds, base / "out" / "html", result


@pytest.fixture(scope="session")
def hostile_site(hostile_build) -> Path:
    return hostile_build[1]


def require(tool: str, package: str) -> str:
    """The path of a real client; its absence fails the test loudly instead of passing it."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed (Debian: {package}); .ci/run installs it")
    return path


def require_tex_file(name: str, package: str) -> None:
    """A LaTeX package file (kpsewhich); its absence fails the test naming the Debian package."""
    kpsewhich = require("kpsewhich", "texlive-binaries")
    if subprocess.run([kpsewhich, name], capture_output=True).returncode != 0:
        pytest.fail(f"{name} is not installed (Debian: {package}); .ci/run installs it")


def run_bibtex(bibfile: Path, workdir: Path) -> tuple[subprocess.CompletedProcess, str, str]:
    """`bibtex` with \\nocite{*} and the plain style on a .bib file: (run, .blg log, .bbl)."""
    require("bibtex", "texlive-binaries")
    require_tex_file("plain.bst", "texlive-base")
    shutil.copy(bibfile, workdir / "refs.bib")
    (workdir / "job.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    run = subprocess.run(["bibtex", "job"], cwd=workdir, capture_output=True, text=True)
    bbl = workdir / "job.bbl"
    return run, (workdir / "job.blg").read_text(), bbl.read_text() if bbl.exists() else ""
