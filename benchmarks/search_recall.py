"""recall@5 of the site's search over the team's query set, in headless Chromium.

Builds the site from the seeds (in a temporary copy of the project) unless
``--site`` names a built html folder, types every query of
``tests/search_queries.toml`` into ``search.html`` in one browser session, and
prints, per query, the first five results and the expected papers found among
them, then recall@5 (the mean over queries of the share of a query's expected
papers, at most five, found in its first five results).

    python -m benchmarks.search_recall                 # the site built from seeds/
    python -m benchmarks.search_recall --site DIR      # an already built site
    python -m benchmarks.search_recall --variant intl  # see benchmarks/search_variants.py

Run it from the repository root with the project's virtual environment (the
test requirements: Playwright drives the system's Chromium).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import SearchPage, search_page

QUERIES = ROOT / "tests" / "search_queries.toml"
CUTOFF = 5


@dataclass(frozen=True)
class Query:
    text: str
    lang: str
    expect: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    query: Query
    top: tuple[str | None, ...]  # paper id per result (None: not a paper page), first CUTOFF

    @property
    def found(self) -> tuple[str, ...]:
        return tuple(pid for pid in self.query.expect if pid in self.top)

    @property
    def recall(self) -> float:
        return len(self.found) / min(CUTOFF, len(self.query.expect))


def load_queries(path: Path = QUERIES) -> list[Query]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    queries = [Query(q["q"], q["lang"], tuple(q["expect"])) for q in data["query"]]
    if not all(q.expect for q in queries):
        raise ValueError(f"{path}: every query needs expected paper ids")
    return queries


def evaluate(page: SearchPage, queries: list[Query]) -> list[Outcome]:
    return [Outcome(q, tuple(r.paper_id for r in page.search(q.text)[:CUTOFF])) for q in queries]


def recall_at_5(outcomes: list[Outcome]) -> float:
    return sum(o.recall for o in outcomes) / len(outcomes)


def report(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        shown = " ".join(pid or "(page)" for pid in o.top) or "(nothing)"
        missed = [pid for pid in o.query.expect if pid not in o.found]
        lines.append(f"{o.recall:4.2f}  {o.query.lang:5}  {o.query.text}\n      top {CUTOFF}: {shown}"
                     + (f"\n      missed: {' '.join(missed)}" if missed else ""))
    for lang in sorted({o.query.lang for o in outcomes}):
        subset = [o for o in outcomes if o.query.lang == lang]
        lines.append(f"recall@{CUTOFF} {lang}: {recall_at_5(subset):.3f} ({len(subset)} queries)")
    lines.append(f"recall@{CUTOFF}: {recall_at_5(outcomes):.3f} over {len(outcomes)} queries")
    return "\n".join(lines)


def build_seeds_site(folder: Path, *extra: str) -> Path:
    from tests.conftest import SEEDS, copy_project, sphinx_build

    project = copy_project(folder / "project")
    sphinx_build(project, SEEDS, folder / "out", *extra)
    return folder / "out" / "html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built html folder (default: build the seeds)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--variant", choices=["paperkb", "sphinx", "intl", "pagefind"], default="paperkb",
                        help="measure a variant of the site (benchmarks/search_variants.py)")
    parser.add_argument("--pagefind", default=f"{sys.executable} -m pagefind",
                        help="command running Pagefind's extended build (for --variant pagefind)")
    args = parser.parse_args(argv)
    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="paperkb-recall-") as scratch:
        site = args.site or build_seeds_site(Path(scratch) / "seeds")
        if args.variant != "paperkb":
            from benchmarks.search_variants import make_variant

            site = make_variant(args.variant, site, Path(scratch) / args.variant, args.pagefind)
        started = time.perf_counter()
        with search_page(site) as page:
            outcomes = evaluate(page, queries)
        print(report(outcomes))
        print(f"({len(queries)} queries typed in {time.perf_counter() - started:.1f} s, site {site})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
