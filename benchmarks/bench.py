"""`make bench`: build speed, page weight and search payload against bare Sphinx; on demand only.

For each corpus size N (``BENCH_N``, default 100 1000 10000; ``--quick``: 100 1000)
it writes a synthetic corpus (``benchmarks/synthetic.py``: 32 subfields with
their own vocabulary, a taxonomy and glossary to match) and measures, in one
run, in temporary copies of the project:

* the converter alone (parse to written pages), in papers per second;
* a clean build of N papers (-j 1 and -j auto), with its peak RSS;
* bare Sphinx on the same generated pages: myst-parser, sphinx-design,
  sphinxcontrib-bibtex, alabaster, zh_CN with jieba, no extension of ours;
* a second build with no change (``make html``'s check that nothing changed, and
  Sphinx's own no-op build), and the addition of one more digest, with
  the documents Sphinx re-read and re-wrote (``paperkb-build.json``);
* whether the incremental build equals a clean build of the grown corpus, byte
  for byte (pages, search index, exports);
* the median and largest paper page, the whole site, and the bytes a reader
  downloads for a first search (gzip; fetched by headless Chromium: the search
  page, its scripts and styles, the pieces of the index the query needs, the
  titles and snippets of the results in view; the most over five queries).

It prints one table and writes it as Markdown and JSON to ``--out``
(``$(BUILDDIR)/bench``).  Absolute times are this machine's; compare the ratios.

    python -m benchmarks.bench [--n 100 1000] [--quick] [--out _build/bench]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.search_payload import browser_payload
from benchmarks.synthetic import write_corpus, write_knowledge
from tests.conftest import copy_project
from tools import layout
from tools.files import uptodate
from tools.pipeline import convert
from tools.sphinxext.report import FILENAME as BUILD_REPORT

PER_DIGEST = 25
BARE_LIMIT = 2.0  # bare Sphinx is stopped past this multiple of our clean build: the target, ours
# at most 0.5x bare, is then met (at 10,000 papers each minute over it is a minute of the bench)
DEFAULT_SIZES = (100, 1000, 10000)
QUICK_SIZES = (100, 1000)

# Bare Sphinx: the same pages, the same third-party extensions and search language, nothing of ours.
BARE_CONF = """\
project = "bare"
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex"]
language = "zh_CN"
html_search_language = "zh"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_data", "_generated", "**/.generated.json"]
myst_enable_extensions = ["attrs_block"]
myst_heading_anchors = 2
bibtex_bibfiles = ["_generated/export/refs.bib"]
html_theme = "alabaster"
smartquotes = False
"""


@dataclass
class Build:
    seconds: float
    peak_rss_mb: float
    read: int = 0
    written: int = 0
    stopped: bool = False  # stopped at its time limit: seconds is a lower bound


@dataclass
class Row:
    papers: int
    converter_seconds: float = 0.0
    papers_per_second: float = 0.0
    clean: Build | None = None
    clean_parallel: Build | None = None
    bare: Build | None = None
    noop: Build | None = None
    noop_make_seconds: float = 0.0  # make html's check that nothing changed (tools/files/uptodate.py)
    add_digest: Build | None = None
    incremental_equals_clean: bool = False
    differing_files: list[str] = field(default_factory=list)
    median_paper_page: int = 0
    largest_paper_page: int = 0
    site_bytes: int = 0
    first_search_gzip: int = 0
    largest_pages: dict[str, tuple[int, str]] = field(default_factory=dict)  # kind -> (bytes, page)


def sphinx(project: Path, seeds: Path, out: Path, *options: str, ours: bool = True,
           limit: float | None = None) -> Build:
    """One sphinx-build in a child process: wall time, peak RSS, and (ours) what it read and wrote.

    With ``limit`` (seconds) a build still running then is stopped and reported as
    ``stopped``: its time is a lower bound.
    """
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(out / "doctrees"), *options]
    if ours:
        command += ["-W", "--keep-going", "-D", f"paperkb_seeds={seeds}"]
    command += [str(project), str(out / "html")]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=errors)
        stopped = False
        # os.wait4, not Popen.wait: it gives the child's peak RSS (and must be the one to reap it).
        while not (waited := os.wait4(child.pid, os.WNOHANG))[0]:
            if limit is not None and time.perf_counter() - started > limit:
                child.kill()
                stopped = True
                waited = os.wait4(child.pid, 0)
                break
            time.sleep(0.2)
        _, status, usage = waited
        seconds = time.perf_counter() - started
        if ours and status != 0:
            errors.seek(0)
            raise RuntimeError(f"build failed: {errors.read().decode(errors='replace')[-2000:]}")
    build = Build(seconds, usage.ru_maxrss / 1024, stopped=stopped)
    report = out / "doctrees" / BUILD_REPORT
    if ours and report.is_file():
        data = json.loads(report.read_text(encoding="utf-8"))
        build.read, build.written = len(data["read"]), len(data["written"])
    return build


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def first_search_bytes(site: Path) -> int:
    """gzip bytes a fresh Chromium tab fetches for a search: the most over a few queries.

    Everything a reader's first search downloads counts: search.html, its scripts
    and styles, the index's pieces the query needs, the titles and snippets of the
    results in view (``benchmarks/search_payload.py``).
    """
    return max(packed for _, packed, _ in browser_payload(site).values())


def measure(n: int, base: Path, parallel: bool = True) -> Row:
    row = Row(papers=n)
    corpus, seeds = base / "corpus", base / "seeds"
    digests = write_corpus(corpus, n + PER_DIGEST, per_digest=PER_DIGEST)
    seeds.mkdir()
    for digest in digests[:-1]:
        shutil.copy2(digest, seeds)
    shutil.copy2(corpus / "metadata.toml", seeds)  # authors and dates, as `make metadata` gives

    def project(name: str) -> Path:
        copy = copy_project(base / name)
        write_knowledge(copy / "docs" / "_data")
        return copy

    # The converter alone, in this process.
    converted = project("converted")
    started = time.perf_counter()
    convert(seeds, converted / "docs")
    row.converter_seconds = time.perf_counter() - started
    row.papers_per_second = n / row.converter_seconds

    ours = project("ours")
    row.clean = sphinx(ours, seeds, base / "out")
    site = base / "out" / "html"
    pages = sorted(p.stat().st_size for p in (site / layout.PAPERS).glob("*.html"))
    row.median_paper_page, row.largest_paper_page = int(statistics.median(pages)), pages[-1]
    row.site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    row.largest_pages = largest_pages(site)
    row.first_search_gzip = first_search_bytes(site)

    # Bare Sphinx on a copy of the pages our converter generated.
    bare = base / "bare"
    shutil.copytree(ours / "docs", bare, ignore=shutil.ignore_patterns("_templates", "_static"))
    (bare / "conf.py").write_text(BARE_CONF, encoding="utf-8")
    # Stopped once past BARE_LIMIT x our clean build: the ratio is then an upper bound.
    row.bare = sphinx(bare, seeds, base / "out-bare", ours=False, limit=BARE_LIMIT * row.clean.seconds)

    row.noop = sphinx(ours, seeds, base / "out")
    options = ["STRICT=1"]  # as make html passes them
    uptodate.record(ours, seeds, base / "out", options)
    started = time.perf_counter()
    check = subprocess.run([sys.executable, "-m", "tools", "uptodate", str(seeds), str(base / "out"), "--",
                            *options], cwd=ours, capture_output=True)
    row.noop_make_seconds = time.perf_counter() - started
    assert check.returncode == 0, check
    shutil.copy2(digests[-1], seeds)
    row.add_digest = sphinx(ours, seeds, base / "out")
    sphinx(project("grown"), seeds, base / "out-grown")
    incremental, clean = tree(site), tree(base / "out-grown" / "html")
    row.differing_files = sorted(name for name in incremental.keys() | clean.keys()
                                 if incremental.get(name) != clean.get(name))
    row.incremental_equals_clean = not row.differing_files
    (seeds / digests[-1].name).unlink()

    if parallel:
        row.clean_parallel = sphinx(project("parallel"), seeds, base / "out-parallel", "-j", "auto")
    return row


def page_kind(path: str) -> str:
    """``topics/<slug>.html`` -> ``topics/*``, ``topics/<slug>/<n>.html`` -> ``topics/*/*``."""
    parts = path.split("/")
    if len(parts) == 1 or parts[-1] == "index.html":
        return path
    return "/".join(parts[:1] + ["*"] * (len(parts) - 1))


def largest_pages(site: Path) -> dict[str, tuple[int, str]]:
    """The largest HTML page of each kind, and the feed."""
    largest: dict[str, tuple[int, str]] = {}
    for page in [*site.rglob("*.html"), site / layout.FEED]:
        name = page.relative_to(site).as_posix()
        kind, size = page_kind(name), page.stat().st_size
        if size > largest.get(kind, (0, ""))[0]:
            largest[kind] = (size, name)
    return dict(sorted(largest.items()))


def pages_table(rows: list[Row]) -> str:
    """Largest page of each kind, per corpus size (KiB)."""
    kinds = sorted({kind for r in rows for kind in r.largest_pages})
    head = "| page kind | " + " | ".join(f"{r.papers:,} papers" for r in rows) + " |"
    lines = [head, "|" + " --- |" * (len(rows) + 1)]
    for kind in kinds:
        cells = [f"{r.largest_pages[kind][0] / 1024:.1f} KiB" if kind in r.largest_pages else "–"
                 for r in rows]
        lines.append(f"| `{kind}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ratio(part: Build | None, whole: Build | None) -> str:
    if not part or not whole:
        return "–"
    return f"{'< ' if whole.stopped else ''}{part.seconds / whole.seconds:.2f}×"


def _seconds(build: Build) -> str:
    return f"{'> ' if build.stopped else ''}{build.seconds:.1f} s{' (stopped)' if build.stopped else ''}"


def table(rows: list[Row]) -> str:
    head = ("| N | converter | clean (-j 1) | bare Sphinx | ours / bare | clean -j auto | "
            "no-op: make html / sphinx-build | "
            "add 1 digest (read / written docs) | incremental = clean | paper page median / max | "
            "site | first search (gzip) | peak RSS |")
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for r in rows:
        assert r.clean and r.bare and r.noop and r.add_digest
        parallel = (f"{r.clean_parallel.seconds:.1f} s ({_ratio(r.clean_parallel, r.clean)})"
                    if r.clean_parallel else "not run")
        lines.append(
            f"| {r.papers:,} | {r.converter_seconds:.2f} s ({r.papers_per_second:,.0f} papers/s) "
            f"| {r.clean.seconds:.1f} s | {_seconds(r.bare)} | {_ratio(r.clean, r.bare)} "
            f"| {parallel} "
            f"| {r.noop_make_seconds:.2f} s ({r.noop_make_seconds / r.clean.seconds:.2%}) / "
            f"{r.noop.seconds:.1f} s ({r.noop.seconds / r.clean.seconds:.1%}) "
            f"| {r.add_digest.seconds:.1f} s ({r.add_digest.seconds / r.clean.seconds:.1%}; "
            f"{r.add_digest.read} / {r.add_digest.written}) "
            f"| {'yes' if r.incremental_equals_clean else f'NO ({len(r.differing_files)} files)'} "
            f"| {r.median_paper_page / 1024:.1f} / {r.largest_paper_page / 1024:.1f} KiB "
            f"| {r.site_bytes / 2**20:.1f} MiB | {r.first_search_gzip / 1024:.0f} KiB "
            f"| {r.clean.peak_rss_mb:,.0f} MB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", help="corpus sizes (default: BENCH_N or 100 1000 10000)")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 papers only")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench")
    parser.add_argument("--no-parallel", action="store_true",
                        help="skip the clean build with -j auto (another clean build's time)")
    args = parser.parse_args(argv)
    sizes = args.n or (QUICK_SIZES if args.quick else
                       tuple(int(n) for n in os.environ.get("BENCH_N", "").split()) or DEFAULT_SIZES)
    rows = []
    for n in sizes:
        n -= n % PER_DIGEST
        with tempfile.TemporaryDirectory(prefix=f"paperkb-bench-{n}-") as tmp:
            print(f"measuring {n:,} papers...", file=sys.stderr, flush=True)
            rows.append(measure(n, Path(tmp), parallel=not args.no_parallel))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    text = table(rows) + "\n\nLargest page of each kind:\n\n" + pages_table(rows)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "bench.json").write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n",
                                         encoding="utf-8")
    print(f"written: {args.out / 'bench.md'}, {args.out / 'bench.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
