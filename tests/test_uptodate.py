"""``make html`` with nothing changed does not start Sphinx; any change, or another build, does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.files import uptodate

from .conftest import SEEDS, project_with_makefile, run_make, sphinx_build

pytestmark = pytest.mark.slow


def _sphinx_ran(out: Path, before: int | None) -> bool:
    """Whether a build wrote its report since ``before`` (its mtime then)."""
    report = out / "doctrees" / "paperkb-build.json"
    return report.stat().st_mtime_ns != before


def _report_mtime(out: Path) -> int:
    return (out / "doctrees" / "paperkb-build.json").stat().st_mtime_ns


def test_nothing_changed_means_no_sphinx_and_any_change_means_a_build(tmp_path):
    project = project_with_makefile(tmp_path / "project")
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, seeds)

    def make(*args: str) -> str:
        run = run_make(project, "html", f"SEEDS={seeds}", f"BUILDDIR={out}", *args)
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout

    make()
    assert uptodate.stamp_path(out).is_file()
    before = _report_mtime(out)
    assert "up to date" in make() and not _sphinx_ran(out, before)

    # A changed digest, a changed option: Sphinx runs.
    digest = sorted(seeds.glob("*.txt"))[0]
    digest.write_text(digest.read_text(encoding="utf-8") + "\n## Added Later\n"
                      "[后来加入](https://arxiv.org/abs/2503.99999)\n\n一段摘要。\n", encoding="utf-8")
    make()
    assert _sphinx_ran(out, before) and (out / "html" / "papers" / "2503.99999.html").is_file()
    before = _report_mtime(out)
    make("STRICT=0")
    assert _sphinx_ran(out, before)

    # A build into the folder by other means (here another seeds folder) voids the record.
    sphinx_build(project, SEEDS, out)
    assert not uptodate.stamp_path(out).exists()
    before = _report_mtime(out)
    make("STRICT=0")
    assert _sphinx_ran(out, before) and (out / "html" / "papers" / "2503.99999.html").is_file()


def test_the_fingerprint_covers_seeds_sources_and_options_not_generated_pages(tmp_path):
    project = project_with_makefile(tmp_path / "project")
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    first = uptodate.fingerprint(project, seeds, ["STRICT=1"])
    assert uptodate.fingerprint(project, seeds, ["STRICT=0"]) != first
    run_make(project, "html", f"SEEDS={seeds}", f"BUILDDIR={tmp_path / 'out'}")
    assert uptodate.fingerprint(project, seeds, ["STRICT=1"]) == first  # the generated pages don't count
    (seeds / "metadata.toml").write_text("", encoding="utf-8")
    assert uptodate.fingerprint(project, seeds, ["STRICT=1"]) != first
    (project / "docs" / "_templates" / "sitenav.html").write_text("<p>changed</p>", encoding="utf-8")
    template = project / "tools" / "render" / "templates" / "paper.md.jinja"
    template.write_text("# changed\n", encoding="utf-8")
    changed = uptodate.fingerprint(project, seeds, ["STRICT=1"])
    template.write_text("# changed again\n", encoding="utf-8")
    assert uptodate.fingerprint(project, seeds, ["STRICT=1"]) != changed


def test_the_fingerprint_covers_every_environment_variable_conf_py_reads(tmp_path, monkeypatch):
    import ast

    from .conftest import ROOT

    read = set()
    for node in ast.walk(ast.parse((ROOT / "conf.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv"):
            read.add(ast.literal_eval(node.args[0]))
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            read.add(ast.literal_eval(node.slice))
    assert read and read <= set(uptodate.ENVIRONMENT)
    project = project_with_makefile(tmp_path / "project")
    shutil.copytree(SEEDS, project / "seeds")
    first = uptodate.fingerprint(project, project / "seeds", [])
    monkeypatch.setenv("PAPERKB_BASEURL", "https://example.org/kb/")
    assert uptodate.fingerprint(project, project / "seeds", []) != first


@pytest.mark.slow
def test_another_site_address_is_another_build(tmp_path):
    project = project_with_makefile(tmp_path / "project")
    first = run_make(project, "html", f"SEEDS={SEEDS}")
    assert first.returncode == 0
    # Without an address the build says so, once and plainly (not a warning: -W), and
    # prints no notice about matplotlib (sphinxext-opengraph's, tools/sphinxext/compat.py).
    note = "note: no site address given"
    assert first.stderr.count(note) == 1, first.stderr
    assert "PAPERKB_BASEURL=" in first.stderr and "WARNING" not in first.stderr
    assert "matplotlib" not in first.stdout + first.stderr
    import os
    import subprocess

    from .conftest import VENV
    env = {**os.environ, "PAPERKB_BASEURL": "https://example.org/kb/"}
    stamps = [f"-o{VENV}/bin/{stamp}" for stamp in (".runtime", ".dev")]
    rebuilt = subprocess.run(["make", "-s", f"VENV={VENV}", *stamps, "html", f"SEEDS={SEEDS}"], cwd=project,
                             capture_output=True, text=True, timeout=600, env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "up to date" not in rebuilt.stdout
    assert note not in rebuilt.stderr and "matplotlib" not in rebuilt.stdout + rebuilt.stderr
    site = project / "_build" / "html"
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "index.html"):
        assert "https://example.org/kb/" in (site / name).read_text(encoding="utf-8"), name
