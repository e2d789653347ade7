"""The commands: every exit status the README documents ("Exit statuses"), from the command
that returns it, and folders whose paths hold spaces."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.files.write import CONVERSION_MEMO, CONVERSION_RECORD

from .conftest import BROKEN, ROOT, SEEDS, copy_project, project_with_makefile, run_make

EXTRA = ROOT / "tests" / "fixtures" / "extra"

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def tools(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tools", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def assert_one_line_error(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode == EXIT_USAGE, run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_check(tmp_path):
    assert tools("check", SEEDS).returncode == EXIT_OK
    assert tools("check", BROKEN).returncode == EXIT_PROBLEMS
    assert_one_line_error(tools("check", tmp_path / "missing"))
    docs = copy_project(tmp_path / "project") / "docs"
    (docs / "_data" / "glossary.toml").write_text("[[term]]\nterm = 'x'\n", encoding="utf-8")
    bad_glossary = tools("check", SEEDS, "--docs", docs)
    assert_one_line_error(bad_glossary)
    assert "glossary.toml" in bad_glossary.stderr


def test_convert(tmp_path):
    docs = copy_project(tmp_path / "project") / "docs"
    assert tools("convert", SEEDS, "--docs", docs).returncode == EXIT_OK
    assert tools("convert", BROKEN, "--docs", docs).returncode == EXIT_PROBLEMS
    assert tools("convert", BROKEN, "--docs", docs, "--no-strict").returncode == EXIT_PROBLEMS
    assert_one_line_error(tools("convert", tmp_path / "missing", "--docs", docs))


def test_a_docs_folder_the_build_cannot_write_is_one_line(tmp_path):
    # Root writes any folder whatever its mode; a folder where the lock file should be
    # (beside docs/, tools/files/lock.py) cannot be written by anyone.
    project = project_with_makefile(tmp_path / "project")
    (project / ".paperkb.lock").mkdir()
    for command in ("convert", "check"):
        run = tools(command, SEEDS, "--docs", project / "docs")
        assert_one_line_error(run)
        assert f"{project / 'docs'}" in run.stderr, run.stderr
    made = run_make(project, "html", f"SEEDS={SEEDS}")
    assert made.returncode != 0 and "Traceback" not in made.stderr, made.stderr
    assert [line for line in made.stderr.splitlines() if "not writable" in line], made.stderr


def test_clean(tmp_path):
    docs = copy_project(tmp_path / "project") / "docs"
    tools("convert", SEEDS, "--docs", docs)
    assert (docs / CONVERSION_RECORD).is_file() and (docs / CONVERSION_MEMO).is_file()
    assert tools("clean", docs).returncode == EXIT_OK and not (docs / "papers").exists()
    assert not (docs / CONVERSION_RECORD).exists()  # the record of a conversion no longer there
    assert not (docs / CONVERSION_MEMO).exists()  # nor what it computed
    assert_one_line_error(tools("clean", tmp_path / "missing"))
    assert not (tmp_path / "missing").exists()


def test_metadata_commands(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    assert_one_line_error(tools("import-metadata", tmp_path / "missing.json", seeds))
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    assert_one_line_error(tools("import-metadata", tmp_path / "list.json", seeds))
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert_one_line_error(tools("import-metadata", tmp_path / "bad.json", seeds))
    sample = {"2503.10622": {"title": "T", "authors": ["A B"], "published": "2025-03-13"}}
    (tmp_path / "ok.json").write_text(json.dumps(sample), encoding="utf-8")
    assert tools("import-metadata", tmp_path / "ok.json", seeds).returncode == EXIT_OK
    (seeds / "metadata.toml").write_text("['2503.10622']\nauthors = 'Not A List'\n", encoding="utf-8")
    malformed = tools("metadata", seeds)
    assert_one_line_error(malformed)
    assert "metadata.toml:2: authors: expected a list of strings" in malformed.stderr
    # the arXiv API out of reach (status 3): test_metadata.py


def test_bad_arguments():
    assert_one_line_error(tools("frobnicate"))
    assert_one_line_error(tools("metadata", "--batch-size", "many"))


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return project_with_makefile(tmp_path / "project")


def test_make_html_exits_2_on_problems_after_listing_them(tmp_path, project):
    run = run_make(project, "html", f"SEEDS={BROKEN}", f"BUILDDIR={tmp_path / 'out'}")
    assert run.returncode == EXIT_USAGE  # make's own status for a failed step
    assert "201_broken.txt:7:" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()  # stopped before Sphinx started


def test_make_clean_needs_no_virtual_environment(project):
    assert tools("convert", SEEDS, "--docs", project / "docs").returncode == EXIT_OK
    (project / "_build").mkdir()
    run = subprocess.run(["make", "-s", "clean", "VENV=/nonexistent-venv"], cwd=project,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == EXIT_OK, run.stderr
    assert not (project / "_build").exists() and not (project / "docs" / "papers").exists()


# --- Paths with spaces ------------------------------------------------------------------------

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
