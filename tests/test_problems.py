"""Input problems: every one named with file:line, by `check` and by the build alike.

Broken digests through `make html`: every problem named, STRICT=0 builds the rest.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS, project_with_makefile, run_check, run_make, write_digest

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


def make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_make(project, "html", *args)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return project_with_makefile(tmp_path / "project")


@pytest.mark.slow
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


# --- What `check` passes, the build builds; what it fails on, it names with file:line ---------

BAD_IDS = ["2500.00001", "2513.00001", "2599.12345", "0713.1234", "hep-th/9900001", "hep-th/9913001",
           "hep-th/9107001", "hep-th/0801001", "math.GT/0313136", "0703.1234", "1412.12345", "1501.1234"]
GOOD_IDS = ["2503.18878", "0704.0001", "1412.9999", "1501.00001", "hep-th/9108001", "hep-th/0703999",
            "math.GT/0309136", "2512.99999"]


@pytest.mark.parametrize("arxiv_id", BAD_IDS)
def test_ids_outside_arxivs_grammar_are_problems_with_file_and_line(tmp_path, capsys, arxiv_id):
    write_digest(tmp_path / "seeds", "001_ids.txt", "A Paper", f"https://arxiv.org/abs/{arxiv_id}")
    status, output = run_check(capsys, tmp_path / "seeds")
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
    status, output = run_check(capsys, seeds)
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
    write_digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    write_digest(seeds, "index.txt", "Collides", "https://arxiv.org/abs/2503.00002")  # digests/index
    write_digest(seeds, "002_upper.TXT", "Upper", "https://arxiv.org/abs/2503.00003")
    write_digest(seeds, "notes.md", "Notes", "https://arxiv.org/abs/2503.00004")
    (seeds / "003_folder.txt").mkdir()
    status, output = run_check(capsys, seeds)
    assert status == 0 and "1 entries" in output, output
    assert f"{seeds / 'index.txt'}: ignored, not a digest: not named NNN_<name>.txt" in output
    upper = seeds / "002_upper.TXT"
    assert f"{upper}: ignored, not a digest: the extension must be lower-case .txt" in output
    assert f"{seeds / 'notes.md'}: ignored, not a digest" in output
    assert f"{seeds / '003_folder.txt'}: ignored, not a digest: a folder" in output
    assert "metadata.toml" not in output


def test_a_digest_that_cannot_be_read_is_a_problem_line(tmp_path, capsys, monkeypatch):
    seeds = tmp_path / "seeds"
    write_digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    (seeds / "002_gone.txt").symlink_to(tmp_path / "nowhere.txt")  # unreadable, even for root
    status, output = run_check(capsys, seeds)
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
    status, output = run_check(capsys, seeds)
    assert status == 1 and f"{seeds / '001_real.txt'}:1: cannot be read: Permission denied" in output
