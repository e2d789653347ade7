"""`make livehtml`: sphinx-autobuild rebuilds the site once per saved change, never on its own."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx_autobuild.filter import IgnoreFilter

from tools.files.lock import lock_path
from tools.files.write import MANIFEST
from tools.livehtml import ignored_patterns
from tools.pipeline import convert

from .conftest import SEEDS, copy_project, make_command, project_with_makefile

BUILD_STARTS = "> python -m sphinx build"  # sphinx-autobuild's line before each build
SERVING = re.compile(r"Serving on (http://[\d.]+:\d+)")  # ... and after it
QUIET = 10.0  # seconds without a build that show no other round follows
SETTLE = 1.0  # seconds for the watcher to set itself up once the server answers
DIGEST = "004_ad890f935f0d4d32.txt"
PAPER = "2503.03601"  # the first paper of DIGEST


def test_the_lock_is_outside_the_docs_folder(tmp_path):
    docs = tmp_path / "docs"
    assert lock_path(docs).parent == tmp_path
    assert lock_path(Path(".")) == Path.cwd().parent / lock_path(docs).name


def test_livehtml_ignores_what_the_converter_writes_and_nothing_else(tmp_path):
    docs = copy_project(tmp_path / "project") / "docs"
    hand_written = [p for p in docs.rglob("*") if p.is_file()]
    convert(SEEDS, docs, strict=True)
    generated = [p for p in docs.rglob("*") if p.is_file() and p not in hand_written]
    ignored = IgnoreFilter([], ignored_patterns(docs))  # as sphinx-autobuild applies them
    assert docs / MANIFEST in generated and docs / "index.md" in generated
    assert [p for p in generated if not ignored(str(p))] == []
    # write.py's temporary files, at the top and deeper down
    assert ignored(str(docs / ".index.md.k3j_x9.tmp"))
    assert ignored(str(docs / "papers" / f".{PAPER}.md.abc.tmp"))
    assert hand_written and [p for p in hand_written if ignored(str(p))] == []
    for seed in ("digest.txt", "notes/2503.03601.md", "lists/reading.toml", "articles/a.md"):
        assert not ignored(str(tmp_path / "project" / "seeds" / seed))


class _Log:
    """The output of a running sphinx-autobuild, read from its file."""

    def __init__(self, path: Path, process: subprocess.Popen[bytes]) -> None:
        self.path = path
        self.process = process

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.text().count(BUILD_STARTS)

    def served(self) -> int:
        return len(SERVING.findall(self.text()))

    def wait_for_served(self, count: int, timeout: float) -> str:
        """Wait until the count-th build has finished; the address it serves on."""
        deadline = time.monotonic() + timeout
        while self.served() < count:
            assert self.process.poll() is None, f"sphinx-autobuild ended:\n{self.text()}"
            assert time.monotonic() < deadline, f"no build finished:\n{self.text()}"
            time.sleep(0.2)
        return SERVING.findall(self.text())[-1]

    def rebuilds_after(self, change: Callable[[], object], timeout: float = 60) -> int:
        """How many builds start after ``change()``, counted until QUIET seconds pass without one."""
        before, served = self.builds(), self.served()
        change()
        self.wait_for_served(served + 1, timeout)
        time.sleep(QUIET)
        return self.builds() - before


def _wait_for_the_watcher(address: str, timeout: float = 30) -> None:
    """sphinx-autobuild says it serves before it serves, and starts watching as it starts serving."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{address}/index.html", timeout=5):
                break
        except OSError:
            assert time.monotonic() < deadline, f"{address} does not answer"
            time.sleep(0.2)
    time.sleep(SETTLE)


@pytest.mark.slow
def test_one_save_is_one_rebuild(tmp_path):
    project = project_with_makefile(tmp_path / "project")
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    log_path = tmp_path / "livehtml.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            make_command("livehtml", f"SEEDS={seeds}", f"BUILDDIR={tmp_path / 'out'}",
                         "LIVEHTML_PORT=0"),
            cwd=project, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    log = _Log(log_path, process)
    try:
        address = log.wait_for_served(1, timeout=180)
        _wait_for_the_watcher(address)
        digest = seeds / DIGEST
        # A save that changes nothing: the build rewrites no page, only its lock (5 rebuilds
        # and on when the lock was in docs/).
        assert log.rebuilds_after(digest.touch) == 1, log.text()
        text = digest.read_text(encoding="utf-8")
        first_abstract = text.split("\n\n")[1]
        edited = text.replace(first_abstract, first_abstract + "（实时预览）", 1)
        assert log.rebuilds_after(lambda: digest.write_text(edited, encoding="utf-8")) == 1, log.text()
        with urllib.request.urlopen(f"{address}/papers/{PAPER}.html", timeout=10) as page:
            assert "（实时预览）" in page.read().decode("utf-8")

        note = seeds / "notes" / f"{PAPER}.md"

        def write_note() -> None:
            note.parent.mkdir()
            note.write_text("Worth reading.\n", encoding="utf-8")

        assert log.rebuilds_after(write_note) == 1, log.text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
