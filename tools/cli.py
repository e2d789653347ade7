"""Command line: ``python -m tools {check,convert,clean,metadata,import-metadata}``.

Exit status: 0 when all went well, 1 when a digest has problems (each printed
as ``file:line: reason``), 2 for a usage error (bad arguments, a missing
folder, a malformed taxonomy, glossary or metadata file), 3 when the arXiv
API cannot be reached (``metadata``; the file is then left unchanged).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse digests and report problems; write nothing")
    check.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    convert = commands.add_parser("convert", help="write the generated pages into a docs folder")
    convert.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    convert.add_argument("--docs", type=Path, default=Path("docs"))
    convert.add_argument("--no-strict", dest="strict", action="store_false",
                         help="write the valid entries even when some entries have problems")
    clean = commands.add_parser("clean", help="remove the generated pages from a docs folder")
    clean.add_argument("docs", type=Path, nargs="?", default=Path("docs"))
    meta = commands.add_parser("metadata", help="fill in missing paper metadata from the arXiv API")
    meta.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    meta.add_argument("--refresh", action="store_true",
                      help="also re-fetch entries the tool wrote and nobody edited")
    meta.add_argument("--force", action="store_true", help="re-fetch every entry, even edited ones")
    meta.add_argument("--api", default=None, help="arXiv API URL (default: the public one)")
    meta.add_argument("--min-interval", type=float, default=3.0,
                      help="seconds between requests (arXiv asks for at least 3)")
    meta.add_argument("--batch-size", type=int, default=50, help="ids per request")
    imported = commands.add_parser("import-metadata", help="merge a JSON file of paper metadata")
    imported.add_argument("json", type=Path)
    imported.add_argument("seeds", type=Path, nargs="?", default=Path("seeds"))
    args = parser.parse_args(argv)

    if args.command in ("metadata", "import-metadata"):
        return _metadata_command(args)
    if args.command == "clean":
        from .write import sync

        report = sync(args.docs, {})
        print(f"removed {len(report.removed)} generated files from {args.docs}")
        return EXIT_OK

    from .knowledge import KnowledgeError
    from .metadata import MetadataError

    if not args.seeds.is_dir():
        print(f"error: seeds folder not found: {args.seeds}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "check":
            from .model import build_corpus
            from .parse import parse_folder

            parsed = parse_folder(args.seeds)
            problems, notices = parsed.problems, build_corpus(parsed.entries).notices
            summary = f"{len(parsed.entries)} entries"
        else:
            from .pipeline import convert as run

            result = run(args.seeds, args.docs, strict=args.strict)
            problems, notices = result.problems, result.notices
            summary = (f"{len(result.report.written)} files written, {len(result.report.removed)} removed"
                       if result.report else "nothing written")
    except (KnowledgeError, MetadataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for problem in problems:
        print(problem, file=sys.stderr)
    for notice in notices:
        print(f"{notice} (note)", file=sys.stderr)
    print(f"{summary}; {len(problems)} problem(s)")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _metadata_command(args: argparse.Namespace) -> int:
    import json

    from . import arxiv_api, metadata
    from .parse import parse_folder

    if not args.seeds.is_dir():
        print(f"error: seeds folder not found: {args.seeds}", file=sys.stderr)
        return EXIT_USAGE
    path = args.seeds / metadata.FILENAME
    try:
        existing = metadata.load(path)
    except metadata.MetadataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "import-metadata":
        updates = metadata.from_json(json.loads(args.json.read_text(encoding="utf-8")))
        changed = metadata.save(path, updates)
        print(f"{path}: {len(updates)} entries imported ({'changed' if changed else 'unchanged'})")
        return EXIT_OK
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
    changed = metadata.save(path, result.papers)
    print(f"{path}: {len(result.papers)} entries fetched ({'changed' if changed else 'unchanged'})")
    return EXIT_OK
