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

from .browser import new_page
from .conftest import SEEDS, copy_project, make_command, project_with_makefile

BUILD_STARTS = "> python -m sphinx build"  # sphinx-autobuild's line before each build
SERVING = re.compile(r"Serving on (http://[\d.]+:\d+)")  # ... and after it
QUIET = 10.0  # seconds without a build that show no other round follows
SETTLE = 1.0  # seconds for the watcher to set itself up once the server answers
DIGEST = "004_ad890f935f0d4d32.txt"
PAPER = "2503.03601"  # the first paper of DIGEST
OTHER_DIGEST, OTHER_PAPER = "000_e56da8a24bb505c2.txt", "2503.18878"


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


class _Livehtml:
    """A running ``make livehtml``: its output (read from its file) and the address it serves."""

    def __init__(self, log: Path, process: subprocess.Popen[bytes], seeds: Path) -> None:
        self.log = log
        self.process = process
        self.seeds = seeds
        self.address = ""

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.text().count(BUILD_STARTS)

    def served(self) -> int:
        return len(SERVING.findall(self.text()))

    def wait_for_served(self, count: int, timeout: float) -> None:
        """Wait until the count-th build has finished."""
        deadline = time.monotonic() + timeout
        while self.served() < count:
            assert self.process.poll() is None, f"sphinx-autobuild ended:\n{self.text()}"
            assert time.monotonic() < deadline, f"no build finished:\n{self.text()}"
            time.sleep(0.2)
        self.address = SERVING.findall(self.text())[-1]

    def wait_for_the_watcher(self, timeout: float = 30) -> None:
        """sphinx-autobuild says it serves before it does, and starts watching as it starts serving."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.address}/index.html", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"{self.address} does not answer"
                time.sleep(0.2)
        time.sleep(SETTLE)

    def rebuilds_after(self, change: Callable[[], object], timeout: float = 60) -> int:
        """How many builds start after ``change()``, counted until QUIET seconds pass without one."""
        before, served = self.builds(), self.served()
        change()
        self.wait_for_served(served + 1, timeout)
        time.sleep(QUIET)
        return self.builds() - before

    def page(self, docname: str) -> str:
        with urllib.request.urlopen(f"{self.address}/{docname}.html", timeout=10) as page:
            return str(page.read().decode("utf-8"))


def _edit_first_abstract(digest: Path, addition: str) -> None:
    text = digest.read_text(encoding="utf-8")
    first_abstract = text.split("\n\n")[1]
    digest.write_text(text.replace(first_abstract, first_abstract + addition, 1), encoding="utf-8")


def _shows(page, text: str, timeout: float) -> bool:
    """Whether the page comes to show ``text`` without being told to: it reloads itself."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.evaluate("text => document.body.textContent.includes(text)", text):
                return True
        except Error:  # read while it reloads: its document is gone
            pass
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def livehtml(tmp_path_factory):
    """``make livehtml`` on a copy of the fixtures' seeds, on a free port, after its first build."""
    folder = tmp_path_factory.mktemp("livehtml")
    project = project_with_makefile(folder / "project")
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    log = folder / "livehtml.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            make_command("livehtml", f"SEEDS={seeds}", f"BUILDDIR={folder / 'out'}",
                         "LIVEHTML_PORT=0"),
            cwd=project, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    running = _Livehtml(log, process, seeds)
    try:
        running.wait_for_served(1, timeout=180)
        running.wait_for_the_watcher()
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # make, sphinx-autobuild and its builds
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.slow
def test_one_save_is_one_rebuild(livehtml):
    digest = livehtml.seeds / DIGEST
    # A save that changes nothing: the build rewrites no page, only its lock (5 rebuilds
    # and on when the lock was in docs/).
    assert livehtml.rebuilds_after(digest.touch) == 1, livehtml.text()
    # An edit: the converter rewrites the paper's page and the exports, which are ignored.
    assert livehtml.rebuilds_after(lambda: _edit_first_abstract(digest, "（实时预览）")) == 1, \
        livehtml.text()
    assert "（实时预览）" in livehtml.page(f"papers/{PAPER}")
    note = livehtml.seeds / "notes" / f"{PAPER}.md"

    def write_note() -> None:
        note.parent.mkdir(exist_ok=True)
        note.write_text("Worth reading.\n", encoding="utf-8")

    assert livehtml.rebuilds_after(write_note) == 1, livehtml.text()


@pytest.mark.slow
@pytest.mark.browser
def test_an_open_page_reloads_with_the_saved_change(livehtml, chromium_browser):
    context, page, errors = new_page(chromium_browser)
    try:
        assert "（保存即见）" not in livehtml.page(f"papers/{OTHER_PAPER}")
        # The page may reload at once (sphinx-autobuild tells a newly connected page of the
        # last build, if no page heard of it), so nothing is read from it before the edit.
        page.goto(f"{livehtml.address}/papers/{OTHER_PAPER}.html")
        _edit_first_abstract(livehtml.seeds / OTHER_DIGEST, "（保存即见）")
        assert _shows(page, "（保存即见）", timeout=60), page.url
        assert errors == []
    finally:
        context.close()
