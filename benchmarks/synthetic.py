"""A synthetic corpus of digests, for build and search benchmarks.

``write_corpus(folder, papers)`` writes digests in the real format (English
title, linked Chinese title, Chinese abstract) whose text recombines the words,
phrases and sentences of the shipped seeds: Chinese prose, English acronyms,
LaTeX-ish markup and URLs occur about as often as in real digests, and the
taxonomy's keywords hit as they would.  The same arguments give the same
bytes.  Every id is a valid 5-digit new-style arXiv id, none of them a seed's.

    python -m benchmarks.synthetic OUT_DIR --papers 1000 [--per-digest 25] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.parse import parse_folder

SEEDS = ROOT / "seeds"
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_TITLE_SPLIT = re.compile(r"[:：]\s*")


class _Material:
    """The pieces of the seeds that synthetic entries are built from."""

    def __init__(self, seeds: Path) -> None:
        entries = parse_folder(seeds).entries
        if not entries:
            raise SystemExit(f"no digest entries in {seeds}")
        self.seed_ids = {entry.arxiv.id for entry in entries}
        # English titles: a head (before a colon, often a name) and a tail.
        self.heads: list[str] = []
        self.tails: list[str] = []
        for entry in entries:
            parts = _TITLE_SPLIT.split(entry.title.strip(), maxsplit=1)
            if len(parts) == 2:
                self.heads.append(parts[0])
                self.tails.append(parts[1])
            else:
                self.tails.append(parts[0])
        self.words = sorted({w for e in entries for w in e.title.split() if w.isalpha()})
        # Chinese titles: the same split, on the full-width or ASCII colon.
        self.zh_heads: list[str] = []
        self.zh_tails: list[str] = []
        for entry in entries:
            parts = _TITLE_SPLIT.split(entry.title_zh.strip(), maxsplit=1)
            (self.zh_tails if len(parts) == 1 else self.zh_heads).append(parts[0])
            if len(parts) == 2:
                self.zh_tails.append(parts[1])
        # Abstract sentences, markup and all (the digests' raw text, not rendered).
        self.sentences = [s.strip() for e in entries for paragraph in e.abstract
                          for s in _SENTENCE_END.split(paragraph) if len(s.strip()) > 4]
        self.markup = [s for s in self.sentences if "\\" in s or "$" in s or "**" in s]


def _title(rng: random.Random, m: _Material) -> str:
    tail = rng.choice(m.tails).split()
    # Swap a few words so that titles differ while keeping the seeds' vocabulary.
    for _ in range(rng.randint(1, 3)):
        tail[rng.randrange(len(tail))] = rng.choice(m.words)
    text = " ".join(tail)
    return f"{rng.choice(m.heads)}: {text}" if m.heads and rng.random() < 0.6 else text


def _title_zh(rng: random.Random, m: _Material) -> str:
    head = rng.choice(m.zh_heads) if m.zh_heads and rng.random() < 0.5 else ""
    first, second = rng.choice(m.zh_tails), rng.choice(m.zh_tails)
    body = first[:_cjk_cut(first, rng.randint(len(first) // 3, 2 * len(first) // 3))] + \
        second[_cjk_cut(second, len(second) // 2):]
    return f"{head}：{body}" if head else body


def _cjk_cut(text: str, at: int) -> int:
    """The first position from ``at`` on that does not split a Latin word or number."""
    while 0 < at < len(text) and text[at - 1].isascii() and text[at].isascii():
        at += 1
    return at


def _abstract(rng: random.Random, m: _Material) -> str:
    count = rng.randint(4, 9)
    sentences = rng.sample(m.sentences, count)
    if m.markup and rng.random() < 0.3:
        sentences[rng.randrange(count)] = rng.choice(m.markup)
    if rng.random() < 0.25:  # a second paragraph, as some digests have
        split = rng.randint(1, count - 1)
        return "".join(sentences[:split]) + "\n\n" + "".join(sentences[split:])
    return "".join(sentences)


def _ids(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    ids: set[str] = set()
    while len(ids) < count:
        candidate = f"25{rng.randint(1, 12):02d}.{rng.randint(1, 29999):05d}"
        if candidate not in taken:
            ids.add(candidate)
    return sorted(ids)


def write_corpus(folder: Path, papers: int, per_digest: int = 25, seed: int = 0,
                 seeds: Path = SEEDS) -> list[Path]:
    """Write ``papers`` synthetic entries into digests of ``per_digest`` entries each.

    Returns the digest files written, in order.  ``folder`` is created if needed;
    digests already in it are replaced.
    """
    if papers < 1 or per_digest < 1:
        raise ValueError("papers and per_digest must be positive")
    rng = random.Random(seed)
    material = _Material(seeds)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    ids = _ids(rng, papers, material.seed_ids)
    rng.shuffle(ids)
    files: list[Path] = []
    for number, start in enumerate(range(0, papers, per_digest)):
        lines: list[str] = []
        for arxiv_id in ids[start:start + per_digest]:
            lines += [f"## {_title(rng, material)}",
                      f"[{_title_zh(rng, material)}](https://arxiv.org/abs/{arxiv_id})", "",
                      _abstract(rng, material), ""]
        path = folder / f"{number:03d}_synthetic.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--per-digest", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    files = write_corpus(args.folder, args.papers, args.per_digest, args.seed)
    print(f"{args.papers} papers in {len(files)} digests under {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
