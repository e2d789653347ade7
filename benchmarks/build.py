"""Build speed and page weight, on a synthetic corpus; run on demand, never in the tests.

For an N-paper corpus (``benchmarks/synthetic.py``, in digests of 25) it measures,
in one run and in a temporary copy of the project:

* a clean build of all N papers;
* a second build with no change (what `make html` costs when nothing changed);
* adding one more digest of 25 papers to the built site, against a clean build of
  the same N + 25 papers (incremental builds must stay identical to clean ones, and
  should be much cheaper);
* the weight of a paper page at N papers against the same page with the 25 seed-sized
  corpus (the navigation is bounded: a page must not grow with the knowledge base).

It prints absolute times for this machine and the ratios that matter:

    python -m benchmarks.build [--papers 1000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_corpus
from tests.conftest import copy_project, sphinx_build

PER_DIGEST = 25


def timed_build(project: Path, seeds: Path, out: Path) -> float:
    started = time.perf_counter()
    sphinx_build(project, seeds, out)
    return time.perf_counter() - started


def paper_page_sizes(site: Path) -> list[int]:
    return [page.stat().st_size for page in (site / "papers").glob("*.html")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    args = parser.parse_args(argv)
    n = args.papers - args.papers % PER_DIGEST
    with tempfile.TemporaryDirectory(prefix="paperkb-bench-") as tmp:
        base = Path(tmp)
        corpus = base / "corpus"
        write_corpus(corpus, n + PER_DIGEST, per_digest=PER_DIGEST)
        digests = sorted(corpus.glob("*.txt"))
        small, seeds, grown = base / "small", base / "seeds", base / "grown"
        for folder, files in ((small, digests[:1]), (seeds, digests[:-1]), (grown, digests)):
            folder.mkdir()
            for digest in files:
                shutil.copy2(digest, folder)

        project = copy_project(base / "project")
        clean = timed_build(project, seeds, base / "out")
        unchanged = timed_build(project, seeds, base / "out")
        shutil.copy2(digests[-1], seeds)  # one more digest: N + 25 papers
        incremental = timed_build(project, seeds, base / "out")
        clean_grown = timed_build(copy_project(base / "project-grown"), grown, base / "out-grown")

        timed_build(copy_project(base / "project-small"), small, base / "out-small")
        small_pages = paper_page_sizes(base / "out-small" / "html")
        large_pages = paper_page_sizes(base / "out" / "html")

    print(f"synthetic corpus: {n} papers in {n // PER_DIGEST} digests (+1 digest of {PER_DIGEST})")
    print(f"clean build, {n} papers:            {clean:7.1f} s ({1000 * clean / n:.0f} ms/paper)")
    print(f"second build, no change:            {unchanged:7.1f} s  = {unchanged / clean:.2f} x clean")
    print(f"add one digest (incremental):       {incremental:7.1f} s  = "
          f"{incremental / clean_grown:.2f} x a clean build of {n + PER_DIGEST} ({clean_grown:.1f} s)")
    small_median, large_median = statistics.median(small_pages), statistics.median(large_pages)
    print(f"paper page, median: {small_median / 1024:.1f} KiB at {PER_DIGEST} papers, "
          f"{large_median / 1024:.1f} KiB at {n + PER_DIGEST} papers = {large_median / small_median:.2f} x")
    print(f"paper page, largest at {n + PER_DIGEST} papers: {max(large_pages) / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
