"""Command line: ``python -m tools {check,convert,clean}``.

Exit status: 0 when all went well, 1 when a digest has problems (each printed
as ``file:line: reason``), 2 for a usage error (bad arguments, a missing
folder, a malformed taxonomy or glossary).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
    args = parser.parse_args(argv)

    if args.command == "clean":
        from .write import sync

        report = sync(args.docs, {})
        print(f"removed {len(report.removed)} generated files from {args.docs}")
        return EXIT_OK

    from .knowledge import KnowledgeError

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
    except KnowledgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for problem in problems:
        print(problem, file=sys.stderr)
    for notice in notices:
        print(f"{notice} (note)", file=sys.stderr)
    print(f"{summary}; {len(problems)} problem(s)")
    return EXIT_PROBLEMS if problems else EXIT_OK
