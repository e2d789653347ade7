"""A synthetic corpus of digests that behaves like a real one, for the benchmarks.

Real digests span many subfields, each with its own vocabulary, over months.
``write_corpus`` writes digests in the real format (English title, linked
Chinese title, Chinese abstract) where:

* every paper belongs to one of ``SUBFIELDS`` subfields (a few to two), each
  with its own vocabulary of English and Chinese terms, used with a Zipf
  distribution (a few terms in most of the subfield's papers, most in few);
* the rest of an abstract is the seeds' own prose (shared general words,
  LaTeX-ish markup and URLs as often as in real digests);
* ids are valid new-style arXiv ids whose month advances with the digest
  number, over ``months`` months;
* ``write_knowledge`` writes the taxonomy and glossary a team would curate for
  such a corpus: a topic per subfield, glossary terms for its frequent terms;
* ``metadata.toml`` gives every paper authors (one to twelve) and a date: a
  digest's papers share its day, and digests are spread over the days of their
  month, as a team's daily digests are (so digests are told apart by date).

So related-paper lists are like the seeds': a few strong neighbours in the
same subfield, not everyone.  The same arguments give the same bytes.

    python -m benchmarks.synthetic OUT_DIR --papers 1000 [--per-digest 25] [--seed 0] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.read.parse import parse_folder

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SUBFIELDS = 32
TERMS_PER_SUBFIELD = 40
ZIPF_EXPONENT = 1.1
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
# Syllables for the subfields' English terms, and characters for their Chinese ones.
_SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tor", "vi", "zel", "qu", "an", "dex", "fa", "gri", "hol",
              "ix", "jun", "mor", "nel", "op", "pra", "ris", "sul", "tem", "ul", "ver", "wen", "xo", "yal")
_HAN = ("谱图核流形因果稀疏量化蒸馏检索对齐扩散生成感知控制规划定位重建压缩编码解码融合"
        "注意记忆推断采样优化鲁棒联邦隐私公平度量排序推荐语音视觉触觉分子蛋白材料气候交通金融")


@dataclass(frozen=True)
class Subfield:
    slug: str
    name: str
    name_zh: str
    terms: tuple[tuple[str, str], ...]  # (English, Chinese), most frequent first


def subfields(seed: int = 0) -> list[Subfield]:
    rng = random.Random(f"subfields-{seed}")
    used_en: set[str] = set()
    used_zh: set[str] = set()
    fields = []
    for index in range(SUBFIELDS):
        terms: list[tuple[str, str]] = []
        while len(terms) < TERMS_PER_SUBFIELD:
            english = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            chinese = "".join(rng.choice(_HAN) for _ in range(rng.randint(3, 4)))
            if english not in used_en and chinese not in used_zh:
                used_en.add(english)
                used_zh.add(chinese)
                terms.append((english, chinese))
        name, name_zh = f"{terms[0][0]} {terms[1][0]} Methods", f"{terms[0][1]}与{terms[1][1]}方法"
        fields.append(Subfield(f"subfield-{index:02d}", name, name_zh, tuple(terms)))
    return fields


class _Material:
    """The seeds' prose: general sentences that every subfield shares."""

    def __init__(self, seeds: Path) -> None:
        entries = parse_folder(seeds).entries
        if not entries:
            raise SystemExit(f"no digest entries in {seeds}")
        self.seed_ids = {entry.arxiv.id for entry in entries}
        self.sentences = [s.strip() for e in entries for paragraph in e.abstract
                          for s in _SENTENCE_END.split(paragraph) if len(s.strip()) > 4]
        self.words = sorted({w for e in entries for w in e.title.split() if w.isalpha() and len(w) > 3})


def _zipf_term(rng: random.Random, field: Subfield) -> tuple[str, str]:
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(field.terms))]
    return rng.choices(field.terms, weights=weights)[0]


def _entry(rng: random.Random, material: _Material, fields: list[Subfield], arxiv_id: str) -> list[str]:
    field = rng.choice(fields)
    other = rng.choice(fields) if rng.random() < 0.15 else field  # a cross-field paper
    a, b = _zipf_term(rng, field), _zipf_term(rng, other)
    title = f"{a[0]} {rng.choice(material.words)} for {b[0]} {rng.choice(material.words)}"
    if rng.random() < 0.5:
        title = f"{_zipf_term(rng, field)[0]}: {title}"
    title_zh = f"面向{b[1]}的{a[1]}{rng.choice(['方法', '模型', '框架', '基准', '研究'])}"
    sentences = rng.sample(material.sentences, rng.randint(3, 6))
    for _ in range(rng.randint(2, 5)):  # the subfield's vocabulary, woven into the prose
        term = _zipf_term(rng, field if rng.random() < 0.8 else other)
        templates = [f"我们研究{term[1]}问题。", f"本文提出基于{term[1]}（{term[0]}）的方法。",
                     f"{term[1]}在多个基准上取得提升。"]
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(templates))
    abstract = "".join(sentences)
    if rng.random() < 0.25:  # a second paragraph, as some digests have
        cut = _SENTENCE_END.split(abstract)
        half = len(cut) // 2
        abstract = "".join(cut[:half]) + "\n\n" + "".join(cut[half:])
    return [f"## {title}", f"[{title_zh}](https://arxiv.org/abs/{arxiv_id})", "", abstract, ""]


def _ids(rng: random.Random, count: int, per_digest: int, months: int, taken: set[str]) -> list[str]:
    """Ids by digest: the month advances with the digest number (from 2024-01)."""
    digests = max(1, -(-count // per_digest))
    ids: list[str] = []
    seen = set(taken)
    for index in range(count):
        month = (index // per_digest) * months // digests
        year, month_of_year = 24 + month // 12, month % 12 + 1
        while True:
            candidate = f"{year:02d}{month_of_year:02d}.{rng.randint(1, 29999):05d}"
            if candidate not in seen:
                seen.add(candidate)
                ids.append(candidate)
                break
    return ids


def write_corpus(folder: Path, papers: int, per_digest: int = 25, seed: int = 0,
                 seeds: Path = SEEDS, months: int = 12) -> list[Path]:
    """Write ``papers`` synthetic entries into digests of ``per_digest`` entries each.

    Returns the digest files written, in order.  ``folder`` is created if needed;
    digests already in it are replaced.
    """
    if papers < 1 or per_digest < 1:
        raise ValueError("papers and per_digest must be positive")
    rng = random.Random(seed)
    material = _Material(seeds)
    fields = subfields(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    ids = _ids(rng, papers, per_digest, months, material.seed_ids)
    _write_metadata(folder / "metadata.toml", ids, per_digest, months, seed)
    files: list[Path] = []
    for number, start in enumerate(range(0, papers, per_digest)):
        lines = [line for arxiv_id in ids[start:start + per_digest]
                 for line in _entry(rng, material, fields, arxiv_id)]
        path = folder / f"{number:03d}_synthetic.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def _write_metadata(path: Path, ids: list[str], per_digest: int, months: int, seed: int) -> None:
    rng = random.Random(f"metadata-{seed}")  # its own stream: the digests' bytes do not change
    digests = max(1, -(-len(ids) // per_digest))
    month_of = [number * months // digests for number in range(digests)]
    in_month = {month: [d for d in range(digests) if month_of[d] == month] for month in set(month_of)}
    day_of = [1 + in_month[month_of[d]].index(d) * 28 // len(in_month[month_of[d]]) for d in range(digests)]
    lines = ["# Synthetic metadata (benchmarks/synthetic.py)\n"]
    for index, arxiv_id in enumerate(ids):
        number = index // per_digest
        day, month = day_of[number], month_of[number]
        authors = [f"{rng.choice(_SYLLABLES).title()}{rng.choice(_SYLLABLES)} "
                   f"{rng.choice(_SYLLABLES).title()}{rng.choice(_SYLLABLES)}{rng.choice(_SYLLABLES)}"
                   for _ in range(rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 8, 12)))]
        lines.append(f'["{arxiv_id}"]\nauthors = {json.dumps(authors)}\n'
                     f"published = {2024 + month // 12:04d}-{month % 12 + 1:02d}-{day:02d}\n")
    path.write_text("\n".join(lines), encoding="utf-8")


def write_knowledge(data: Path, seed: int = 0) -> None:
    """The taxonomy and glossary for the synthetic subfields, and the shipped proper nouns (they
    are not about a field), into a docs/_data folder."""
    fields = subfields(seed)
    topics = ['[settings]\ntitle_weight = 3\nthreshold = 3\nmax_topics = 3\nfallback = "other"\n']
    terms = []
    for field in fields:
        keywords = [english for english, _ in field.terms[:6]] + [zh for _, zh in field.terms[:6]]
        topics.append(f'[[topic]]\nslug = "{field.slug}"\nname = "{field.name}"\n'
                      f'name_zh = "{field.name_zh}"\nkeywords = {json.dumps(keywords, ensure_ascii=False)}\n')
        for english, chinese in field.terms[2:6]:
            terms.append(f'[[term]]\nterm = "{english}"\nterm_zh = "{chinese}"\n'
                         f'definition = "A term of {field.name}. {field.name_zh}的术语。"\n'
                         f'aliases = {json.dumps([english, chinese], ensure_ascii=False)}\n')
    topics.append('[[topic]]\nslug = "other"\nname = "Other"\nname_zh = "其他"\nkeywords = []\n')
    data.mkdir(parents=True, exist_ok=True)
    (data / "taxonomy.toml").write_text("\n".join(topics), encoding="utf-8")
    (data / "glossary.toml").write_text("\n".join(terms), encoding="utf-8")
    shutil.copyfile(ROOT / "docs" / "_data" / "proper_nouns.toml", data / "proper_nouns.toml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--per-digest", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path,
                        help="also write taxonomy.toml, glossary.toml and proper_nouns.toml here")
    args = parser.parse_args(argv)
    files = write_corpus(args.folder, args.papers, args.per_digest, args.seed)
    if args.data:
        write_knowledge(args.data, args.seed)
    print(f"{args.papers} papers in {len(files)} digests under {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
