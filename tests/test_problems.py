"""Broken digests through `make html`: every problem named, STRICT=0 builds the rest."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, SEEDS, copy_project

pytestmark = pytest.mark.slow

BROKEN = (
    "preamble text\n"                                   # 1
    "## Good paper\n"                                   # 2
    "[好论文](https://arxiv.org/abs/2501.00001)\n"      # 3
    "\n"
    "一个有效的摘要。\n"                                 # 5
    "## No link line\n"                                 # 6
    "摘要但没有链接。\n"                                 # 7
    "## Not arXiv\n"                                    # 8
    "[标题](https://example.org/x)\n"                   # 9
    "\n摘要。\n"
)


def make(project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "html", f"VENV={ROOT / '.venv'}", *args], cwd=project,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture()
def project(tmp_path):
    project = copy_project(tmp_path / "project")
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy2(ROOT / name, project / name)
    return project


def test_broken_digests_fail_with_every_problem_and_keep_the_previous_pages(tmp_path, project):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    assert make(project, f"SEEDS={seeds}", f"BUILDDIR={tmp_path / 'out'}").returncode == 0
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}

    (seeds / "010_broken.txt").write_text(BROKEN, encoding="utf-8")
    (seeds / "011_gbk.txt").write_bytes("## T\n[标题](https://arxiv.org/abs/2501.00002)\n\n摘要\n".encode("gbk"))
    run = make(project, f"SEEDS={seeds}", f"BUILDDIR={tmp_path / 'out'}")
    output = run.stdout + run.stderr
    assert run.returncode != 0
    for location in ("010_broken.txt:1:", "010_broken.txt:7:", "010_broken.txt:9:", "011_gbk.txt:2:"):
        assert location in output, output
    assert "GB18030" in output
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*.md")} == before

    lenient = make(project, f"SEEDS={seeds}", f"BUILDDIR={tmp_path / 'out'}", "STRICT=0")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert "010_broken.txt:7:" in lenient.stdout + lenient.stderr
    assert (tmp_path / "out" / "html" / "papers" / "2501.00001.html").is_file()
    assert len(list((tmp_path / "out" / "html" / "papers").glob("*.html"))) == 26


def test_cli_exit_statuses(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_a.txt").write_text(BROKEN, encoding="utf-8")  # named by the digest rule
    check = [sys.executable, "-m", "tools", "check"]
    broken = subprocess.run([*check, str(seeds)], cwd=ROOT, capture_output=True, text=True)
    assert broken.returncode == 1
    assert broken.stderr.count(f"{seeds / '001_a.txt'}:") == 3
    ok = subprocess.run([*check, str(SEEDS)], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "25 entries" in ok.stdout
    usage = subprocess.run([*check, str(tmp_path / "missing")], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 2
