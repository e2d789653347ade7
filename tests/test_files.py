"""tools/files/write.py: generated files put in a folder, only what changed."""

from __future__ import annotations

import os
from pathlib import Path

from tools.files.write import mirror, sync


def _export(docs: Path, files: dict[str, str]) -> None:
    """What the converter does: the exports written under docs/ (whose manifest is not in them)."""
    sync(docs, {f"export/{name}": text for name, text in files.items()})


def _contents(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_a_mirror_copies_what_changed_removes_what_is_gone_and_leaves_the_rest(tmp_path):
    source, site = tmp_path / "docs" / "export", tmp_path / "site"
    _export(tmp_path / "docs", {"refs.bib": "all", "papers/a.bib": "a", "papers/b.bib": "b"})
    for path in source.rglob("*.bib"):  # written by an earlier build, a second ago at least
        os.utime(path, ns=(10**9, 10**9))
    (site / "papers").mkdir(parents=True)
    (site / "papers" / "a.html").write_text("not ours", encoding="utf-8")

    first = mirror(source, site)
    assert sorted(first.written) == ["papers/a.bib", "papers/b.bib", "refs.bib"]
    assert _contents(site) == {"papers/a.bib": "a", "papers/a.html": "not ours", "papers/b.bib": "b",
                               "refs.bib": "all"}

    # The same size, another text: the source's new modification time says it changed.
    _export(tmp_path / "docs", {"refs.bib": "all", "papers/a.bib": "A", "papers/c.bib": "c"})
    second = mirror(source, site)
    assert sorted(second.written) == ["papers/a.bib", "papers/c.bib"]
    assert second.removed == ("papers/b.bib",) and second.unchanged == 1
    assert _contents(site) == {"papers/a.bib": "A", "papers/a.html": "not ours", "papers/c.bib": "c",
                               "refs.bib": "all"}
    assert not (site / "papers" / "b.bib").exists()

    # Nothing changed: nothing copied, and the copies keep their times.
    times = {p: p.stat().st_mtime_ns for p in site.rglob("*.bib")}
    third = mirror(source, site)
    assert third.written == () and third.removed == () and third.unchanged == 3
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*.bib")} == times


def test_a_file_of_the_mirror_changed_by_hand_is_copied_again(tmp_path):
    source, site = tmp_path / "docs" / "export", tmp_path / "site"
    _export(tmp_path / "docs", {"refs.bib": "all"})
    mirror(source, site)
    (site / "refs.bib").write_text("edited", encoding="utf-8")
    assert mirror(source, site).written == ("refs.bib",)
    assert (site / "refs.bib").read_text(encoding="utf-8") == "all"
