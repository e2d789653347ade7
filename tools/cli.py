"""Command line: ``python -m tools {check,convert,clean,note,metadata,import-metadata}``.

Exit status (README.md, "Exit statuses"): 0 when all went well; 1 when a digest
has problems (each printed as ``file:line: reason``), or (``uptodate``) when the
build folder is not the build of the inputs; 2 for a usage or I/O
error (bad arguments, a missing folder or file, a malformed taxonomy, glossary,
metadata or JSON file), printed as one line without a traceback; 3 when the
arXiv API cannot be reached (``metadata``; the file is then left unchanged).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from .pipeline import ConvertResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
PROG = "python -m tools"


class UsageError(Exception):
    """A usage or I/O error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line (argparse prints the whole usage first), same status as argparse.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="report what a build would fail on; write nothing")
    check.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    check.add_argument("--docs", type=Path, default=Path("docs"),
                       help="the docs folder whose taxonomy and glossary (_data/) to check too")
    check.set_defaults(run=_check)
    uptodate = commands.add_parser(
        "uptodate", help="exit 0 when BUILDDIR already holds the build of these inputs, else 1")
    uptodate.add_argument("seeds", type=Path)
    uptodate.add_argument("builddir", type=Path)
    uptodate.add_argument("options", nargs="*", help="the build's options, after --")
    uptodate.add_argument("--record", action="store_true",
                          help="record the inputs of the build that just succeeded")
    uptodate.set_defaults(run=_uptodate)
    convert = commands.add_parser("convert", help="write the generated pages into a docs folder")
    convert.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    convert.add_argument("--docs", type=Path, default=Path("docs"))
    convert.add_argument("--no-strict", dest="strict", action="store_false",
                         help="write the valid entries even when some entries have problems")
    convert.set_defaults(run=_convert)
    clean = commands.add_parser("clean", help="remove the generated pages from a docs folder")
    clean.add_argument("docs", type=Path, nargs="?", default=Path("docs"))
    clean.set_defaults(run=_clean)
    note = commands.add_parser("note", help="start a note on a paper: seeds/notes/<id>.md, "
                               "with its front matter; prints where it is")
    note.add_argument("paper", help="the paper's arXiv id (or its arxiv.org link)")
    note.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    note.add_argument("--author", action="append", default=[],
                      help="who writes it (repeat for several); default: git's user.name")
    note.set_defaults(run=_new_note)
    meta = commands.add_parser("metadata", help="fill in missing paper metadata from the arXiv API")
    meta.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    meta.add_argument("--refresh", action="store_true",
                      help="also re-fetch entries the tool wrote and nobody edited")
    meta.add_argument("--force", action="store_true", help="re-fetch every entry, even edited ones")
    meta.add_argument("--api", default=None, help="arXiv API URL (default: the public one)")
    meta.add_argument("--min-interval", type=float, default=3.0,
                      help="seconds between requests (arXiv asks for at least 3)")
    meta.add_argument("--batch-size", type=int, default=50, help="ids per request")
    meta.set_defaults(run=_refresh_metadata)
    imported = commands.add_parser("import-metadata", help="merge a JSON file of paper metadata")
    imported.add_argument("json", type=Path)
    imported.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    imported.set_defaults(run=_import_metadata)
    return parser


def _folder(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise UsageError(f"{what} folder not found: {path}")
    return path


def _report(problems: tuple[object, ...], notices: tuple[object, ...], summary: str) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    for notice in notices:
        print(f"{notice} (note)", file=sys.stderr)
    print(f"{summary}; {len(problems)} problem(s)")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check

    result = _run(check, args.seeds, args.docs)
    _writable(args.docs)  # a build writes its generated pages there
    return _report(result.problems, result.notices, f"{result.entries} entries")


def _writable(docs: Path) -> None:
    """A usage error unless a build could write into the docs folder (nothing is written)."""
    from .files.lock import lock_path

    lock = lock_path(docs)
    if not docs.is_dir():
        raise UsageError(f"docs folder not found: {docs}")
    if not os.access(docs, os.W_OK | os.X_OK):
        raise UsageError(f"{docs}: not writable; the build writes its generated pages there")
    lock_unwritable = (lock.is_dir() or not os.access(lock, os.W_OK) if lock.exists()
                       else not os.access(lock.parent, os.W_OK | os.X_OK))
    if lock_unwritable:
        raise UsageError(f"{docs}: the build lock {lock} is not writable; the build takes it "
                         "while it writes the generated pages")


def _convert(args: argparse.Namespace) -> int:
    from .files.lock import FolderLock
    from .pipeline import convert

    try:
        lock = FolderLock(args.docs)
        lock.acquire()  # not while a build of this checkout uses docs/
    except OSError as error:
        raise UsageError(f"{args.docs}: {error.strerror or error}") from error
    try:
        result = _run(convert, args.seeds, args.docs, strict=args.strict)
    finally:
        lock.release()
    summary = (f"{len(result.report.written)} files written, {len(result.report.removed)} removed"
               if result.report else "nothing written")
    return _report(result.problems, result.notices, summary)


def _run(stage: Callable[..., ConvertResult], seeds: Path, docs: Path, **options: bool) -> ConvertResult:
    from .read.curated import KnowledgeError
    from .read.metadata import MetadataError

    try:
        return stage(_folder(seeds, "seeds"), docs, **options)
    except (KnowledgeError, MetadataError, OSError) as error:
        raise UsageError(str(error)) from error


def _uptodate(args: argparse.Namespace) -> int:
    from .files import uptodate

    root = Path(__file__).resolve().parent.parent  # the checkout this tools package is in
    try:
        if args.record:
            uptodate.record(root, _folder(args.seeds, "seeds"), args.builddir, args.options)
            return EXIT_OK
        if uptodate.is_up_to_date(root, _folder(args.seeds, "seeds"), args.builddir, args.options):
            print(f"{args.builddir}/html is up to date: nothing changed since its last build")
            return EXIT_OK
    except OSError as error:
        raise UsageError(str(error)) from error
    return EXIT_PROBLEMS


def _clean(args: argparse.Namespace) -> int:
    from .files import converted
    from .files.lock import FolderLock
    from .files.write import sync

    try:
        with FolderLock(_folder(args.docs, "docs")):
            converted.discard(args.docs)
            converted.remove_memo(args.docs)
            report = sync(args.docs, {})
    except OSError as error:
        raise UsageError(str(error)) from error
    print(f"removed {len(report.removed)} generated files from {args.docs}")
    return EXIT_OK


NOTE_BODY = ("% 笔记写在这里 · Write the note below, in MyST: $math$, {paper}`2503.10622`,\n"
             "% {cite:p}`citekey` (a paper's key is on its page, under Cite), {term}`Glossary term`.\n"
             "% Lines starting with % are comments; this one is not shown.\n\n")


def _new_note(args: argparse.Namespace) -> int:
    """Create the note file with its front matter (never over an existing one) and say where."""
    import datetime as dt
    import subprocess

    import yaml

    from . import arxiv
    from .read.parse import parse_folder
    from .read.writings import NOTES, note_filename

    seeds = _folder(args.seeds, "seeds")
    try:
        arxiv_id = arxiv.parse_url(args.paper).id if "://" in args.paper else args.paper.strip()
    except arxiv.NotArxiv as error:
        raise UsageError(str(error)) from error
    reason = arxiv.id_problem(arxiv_id)
    if reason:
        raise UsageError(f"{reason}: {arxiv_id!r}")
    if arxiv_id not in {entry.arxiv.id for entry in parse_folder(seeds).entries}:
        raise UsageError(f"no digest in {seeds} holds {arxiv_id}: a note is on a paper of the site")
    path = seeds / NOTES / note_filename(arxiv_id)
    if path.exists():
        print(f"{path}: the note exists already; edit it there")
        return EXIT_OK
    authors = args.author
    if not authors:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                              check=False).stdout.strip()
        authors = [name] if name else []
    front = yaml.safe_dump({"authors": authors, "date": dt.date.today(), "tags": []},
                           allow_unicode=True, sort_keys=False, default_flow_style=None)
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(f"---\n{front}---\n\n{NOTE_BODY}")
    print(f"{path}: a new note on {arxiv_id}; it is shown on papers/{arxiv.page_name(arxiv_id)}.html")
    return EXIT_OK


def _import_metadata(args: argparse.Namespace) -> int:
    from .read import metadata

    path = _folder(args.seeds, "seeds") / metadata.FILENAME
    try:
        metadata.load(path)  # a malformed file is reported, not overwritten
        updates = metadata.from_json(json.loads(args.json.read_text(encoding="utf-8")))
        changed = metadata.save(path, updates)
    except (metadata.MetadataError, OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{args.json}: {error}" if not isinstance(error, metadata.MetadataError)
                         else str(error)) from error
    print(f"{path}: {len(updates)} entries imported ({'changed' if changed else 'unchanged'})")
    return EXIT_OK


def _refresh_metadata(args: argparse.Namespace) -> int:
    from .read import arxiv_api, metadata
    from .read.parse import parse_folder

    path = _folder(args.seeds, "seeds") / metadata.FILENAME
    try:
        existing = metadata.load(path)
    except (metadata.MetadataError, OSError) as error:
        raise UsageError(str(error)) from error
    ids = [entry.arxiv.id for entry in parse_folder(args.seeds).entries]
    plan = metadata.plan_refresh(ids, existing, refresh=args.refresh, force=args.force)
    for arxiv_id in plan.kept_edited:
        print(f"{arxiv_id}: edited by hand, kept (use --force to overwrite)")
    if not plan.fetch:
        print(f"{path}: every paper has metadata; nothing to fetch")
        return EXIT_OK
    print(f"fetching {len(plan.fetch)} paper(s) from the arXiv API...")
    try:
        result = arxiv_api.fetch(plan.fetch, api=args.api or arxiv_api.API_URL,
                                 min_interval=args.min_interval, batch_size=args.batch_size)
    except arxiv_api.Unreachable as error:
        print(f"error: {error}; {path} is unchanged", file=sys.stderr)
        return EXIT_UNREACHABLE
    for arxiv_id in result.missing:
        print(f"{arxiv_id}: not found by the arXiv API", file=sys.stderr)
    try:
        changed = metadata.save(path, result.papers)
    except OSError as error:
        raise UsageError(str(error)) from error
    print(f"{path}: {len(result.papers)} entries fetched ({'changed' if changed else 'unchanged'})")
    return EXIT_OK
