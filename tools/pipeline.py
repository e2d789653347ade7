"""The converter: parse -> model -> enrich -> render -> write, in that order."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from . import layout
from .enrich import Knowledge, enrich, link_writings
from .files import converted
from .files.write import WriteReport, sync
from .model import Problem, SourceRef, build_corpus
from .read import csl_styles, curated, digest_titles, metadata, reading_lists, writings
from .read.parse import digest_files, parse_folder
from .render.pages import render_site
from .render.references import load_cache


@dataclass(frozen=True)
class Summary:
    """What a build says of a conversion, and what its pages depend on beyond the files."""

    papers: int
    digests: int
    team_pages: tuple[str, ...] = ()  # the kinds of team pages there are: notes, lists, articles


@dataclass(frozen=True)
class ConvertResult:
    entries: int  # digest entries read
    problems: tuple[Problem, ...]  # input errors: fail a strict build
    notices: tuple[Problem, ...]  # worth telling, never an error
    knowledge: Knowledge | None  # None when the docs folder already held this conversion
    report: WriteReport | None  # None when nothing was written
    summary: Summary


def check(seeds: Path, docs: Path) -> ConvertResult:
    """Everything :func:`convert` does but writing: what a build would fail on.

    Raises :class:`FileNotFoundError`, ``KnowledgeError`` or ``MetadataError``
    for a missing seeds folder or malformed curated data; returns the digest
    problems.
    """
    return convert(seeds, docs, write=False)


def convert(seeds: Path, docs: Path, *, strict: bool = True, write: bool = True) -> ConvertResult:
    """Convert every digest in ``seeds`` into generated pages under ``docs``.

    With ``strict`` and any input problem, nothing is written: the pages of the
    previous run stay as they were.  Without it, every valid entry is written
    and the problems are still returned for the caller to report.
    """
    if not seeds.is_dir():
        raise FileNotFoundError(f"seeds folder not found: {seeds}")
    # Pages include the team's notes and articles from the seeds folder, by a path from docs/.
    seeds_from_docs = Path(os.path.relpath(seeds.resolve(), docs.resolve())).as_posix()
    code, inputs, previous = converted.code_fingerprint(), "", None
    if write:  # the docs folder may hold this very conversion already
        inputs = converted.fingerprint(seeds, docs / "_data", [strict, seeds_from_docs], code)
        previous = converted.read(docs)
        if (replayed := converted.recorded(docs, previous, inputs)) is not None:
            return _replayed(replayed)
    memo = converted.load_memo(docs, code)
    parsed = parse_folder(seeds, memo)
    corpus = build_corpus(parsed.entries)
    notices = parsed.notices + corpus.notices
    data = docs / "_data"
    digests_file = seeds / digest_titles.FILENAME
    given = digest_titles.load(digests_file)
    notices += tuple(digest_titles.unknown_names(digests_file, given,
                                                 (path.stem for path in digest_files(seeds))))
    knowledge = enrich(corpus, curated.load_taxonomy(data / "taxonomy.toml"),
                       curated.load_glossary(data / "glossary.toml"),
                       metadata.load(seeds / metadata.FILENAME, memo), given,
                       curated.load_proper_nouns(data / "proper_nouns.toml"), memo)
    # The team's notes, articles and reading lists, checked against the papers.
    notes, note_problems = writings.read_notes(seeds)
    articles, article_problems = writings.read_articles(seeds)
    lists, list_problems = reading_lists.read_lists(seeds)
    linked, link_problems = link_writings(knowledge.papers, knowledge.glossary, notes, articles, lists)
    knowledge = replace(knowledge, writings=linked)
    problems = parsed.problems + note_problems + article_problems + list_problems + link_problems
    styles = csl_styles.load_styles(data / csl_styles.FOLDER)
    summary = Summary(len(knowledge.papers), len(knowledge.corpus.digests), tuple(
        kind for kind, there in (("notes", linked.notes), ("lists", linked.lists),
                                 ("articles", linked.articles)) if there))
    if (problems and strict) or not write:
        return ConvertResult(len(parsed.entries), problems, notices, knowledge, None, summary)
    cache = load_cache(_read(docs / layout.REFERENCES_CACHE))
    kept = converted.KeptPages(docs, previous, code)
    converted.discard(docs)  # from here on the files are this conversion's, once it finishes
    files = render_site(knowledge, styles, cache, seeds_from_docs, kept, memo)
    report = sync(docs, files, kept=kept.kept)
    converted.save_memo(docs, memo)
    result = ConvertResult(len(parsed.entries), problems, notices, knowledge, report, summary)
    converted.record(docs, inputs, [*files, *kept.kept], kept.keys, _recorded(result))
    return result


def _recorded(result: ConvertResult) -> dict[str, object]:
    """A conversion's report as JSON, for a conversion of the same inputs to give again."""
    assert result.report is not None
    return {"entries": result.entries, "summary": asdict(result.summary),
            "problems": [_problem_json(problem) for problem in result.problems],
            "notices": [_problem_json(problem) for problem in result.notices],
            "files": len(result.report.written) + result.report.unchanged}


def _replayed(report: dict[str, Any]) -> ConvertResult:
    """The result of a conversion the docs folder already holds: nothing written."""
    summary = report["summary"]
    return ConvertResult(
        report["entries"], tuple(_problem(item) for item in report["problems"]),
        tuple(_problem(item) for item in report["notices"]), None,
        WriteReport((), (), report["files"]),
        Summary(summary["papers"], summary["digests"], tuple(summary["team_pages"])))


def _problem_json(problem: Problem) -> list[object]:
    return [str(problem.source.path), problem.source.line, problem.kind, problem.reason]


def _problem(item: list[Any]) -> Problem:
    path, line, kind, reason = item
    return Problem(SourceRef(Path(path), line), kind, reason)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
