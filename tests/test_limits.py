"""Input that costs more than its size, and input `check` and the build must agree on.

Each cost is measured at n and 4n: near-linear growth (a generous ratio, the least CPU
time of five runs), never a wall-clock threshold.  Limits (nesting, formula and title
length, digest size) keep the text as written, with a note naming file:line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tools.read import markup, parse
from tools.read.markup import Link, Math, Text, tokenize

from .conftest import ROOT

QUADRATIC_SHAPES: dict[str, Callable[[int], str]] = {
    "unclosed textbf": lambda n: "\\textbf{" * n,
    "unclosed href": lambda n: "\\href{" * n,
    "unclosed colour option": lambda n: "\\color[" * n,
    "URL run inside a word": lambda n: "ahttp://" * n,
    "URL with closing brackets": lambda n: "http://a" + ")" * (8 * n),
    "escaped characters": lambda n: "a\\%" * (3 * n),
    "unclosed strong": lambda n: "**a " * (2 * n),
    "nesting": lambda n: "\\textbf{" * n + "x" + "}" * n,
    "dollars": lambda n: "$a" * (4 * n),
}


def links(tokens):
    """The links among tokens."""
    return [token for token in tokens if isinstance(token, Link)]


def _best_time(function: Callable[[], object]) -> float:
    """The least CPU time of five runs: this process's, so that other work on the machine
    (a parallel build, a browser) does not count, as it did in wall-clock time."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def grows_linearly(make: Callable[[int], str], run: Callable[[str], object], n: int) -> float:
    """The time ratio of ``run`` on inputs of size 4n and n (16 for a quadratic cost)."""
    small, large = make(n), make(4 * n)
    return _best_time(lambda: run(large)) / max(_best_time(lambda: run(small)), 1e-6)


@pytest.mark.parametrize("shape", QUADRATIC_SHAPES)
def test_the_markup_scanner_is_linear_in_its_input(shape):
    ratio = grows_linearly(QUADRATIC_SHAPES[shape], tokenize, 2000)
    assert ratio < 8, f"{shape}: 4x the input took {ratio:.1f}x the time"


def test_nesting_past_the_limit_is_kept_as_written_and_noted():
    deep = "\\textbf{" * 200 + "深" + "}" * 200
    tokens = tokenize(deep)  # no RecursionError
    assert "深" in markup.plain_text(tokens)
    assert markup.notes(deep) == [f"markup nested deeper than {markup.MAX_NESTING} groups is kept as written"]
    shallow = "\\textbf{" * 3 + "浅" + "}" * 3
    assert tokenize(shallow)[0].text == "浅" and markup.notes(shallow) == []


def test_a_formula_past_the_limit_is_text_and_noted():
    formula = "x+" * markup.MAX_FORMULA
    tokens = tokenize(f"前 ${formula}x$ 后")
    assert not any(isinstance(token, Math) for token in tokens)
    assert markup.plain_text(tokens) == f"前 ${formula}x$ 后"
    assert "kept as text" in markup.notes(f"${formula}x$")[0]
    assert tokenize("$x+y$") == [Math("x+y")]


def test_urls_after_chinese_text_are_links_and_cjk_punctuation_stays_outside():
    tokens = tokenize("代码见https://github.com/a/b。主页“https://x.org/p”…以及 https://y.org/q—完，"
                      "见（https://z.org/r）。")
    assert [link.url for link in links(tokens)] == [
        "https://github.com/a/b", "https://x.org/p", "https://y.org/q", "https://z.org/r"]
    assert "”…以及 " in markup.plain_text(tokens) and "—完" in markup.plain_text(tokens)
    # inside a word or after a slash, it is not the start of a URL
    assert links(tokenize("ahttp://x.org and /http://y.org")) == []
    assert tokenize("see http://a.org/x)") == [Text("see "), Link("http://a.org/x", "http://a.org/x"),
                                               Text(")")]


# --- what a digest may be --------------------------------------------------------------------------

def _check(capsys, folder: Path) -> tuple[int, str]:
    from tools.cli import main

    status = main(["check", str(folder), "--docs", str(ROOT / "docs")])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def _digest(folder: Path, name: str = "001_a.txt", title: str = "A Paper", abstract: str = "摘要。",
            arxiv_id: str = "2503.00001") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"## {title}\n[中文标题](https://arxiv.org/abs/{arxiv_id})\n\n{abstract}\n",
                    encoding="utf-8")
    return path


def test_only_regular_files_are_digests(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    _digest(seeds)
    (seeds / "002_zero.txt").symlink_to("/dev/zero")  # would read until memory runs out
    os.mkfifo(seeds / "003_fifo.txt")  # would block check forever
    status, output = _check(capsys, seeds)
    assert status == 1 and "Traceback" not in output, output
    assert f"{seeds / '002_zero.txt'}:1: cannot be read: not a regular file (a character device)" in output
    assert f"{seeds / '003_fifo.txt'}:1: cannot be read: not a regular file (a FIFO)" in output
    (seeds / "004_link.txt").symlink_to(seeds / "001_a.txt")  # a link to a regular file is one
    assert parse.parse_file(seeds / "004_link.txt").entries


def test_a_digest_over_the_size_limit_is_a_problem(tmp_path, capsys, monkeypatch):
    seeds = tmp_path / "seeds"
    _digest(seeds, abstract="长" * 1000)
    monkeypatch.setattr(parse, "MAX_DIGEST_BYTES", 1024)
    status, output = _check(capsys, seeds)
    assert status == 1 and f"{seeds / '001_a.txt'}:1: cannot be read: larger than" in output, output


def test_titles_are_tokenized_and_capped_by_check_as_by_the_build(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    _digest(seeds, title="\\textbf{" * 40 + "Deep" + "}" * 40)  # 364 characters, 40 deep
    _digest(seeds, "002_b.txt", title="Long " * 1000, arxiv_id="2503.00002")
    status, output = _check(capsys, seeds)
    assert status == 0 and "Traceback" not in output, output
    assert f"{seeds / '001_a.txt'}:1: 2503.00001: markup nested deeper than" in output
    assert f"{seeds / '002_b.txt'}:1: 2503.00002: the title has 4,999 characters; cut to {parse.MAX_TITLE}" \
        in output
    (entry,) = parse.parse_file(seeds / "002_b.txt").entries
    assert len(entry.title) == parse.MAX_TITLE and entry.title.endswith("…")


# --- digests.toml follows the digests' rules -----------------------------------------------------

def test_digests_toml_titles_follow_the_character_and_length_rules(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    _digest(seeds)
    data = seeds / "digests.toml"
    data.write_text('[001_a]\ntitle = "第一期\\u0001 专题"\n', encoding="utf-8")
    status, output = _check(capsys, seeds)
    assert status == 2 and output.count("\n") == 1, output
    assert f"{data}:1: ['001_a']: 'title' holds control character(s) U+0001" in output
    data.write_text(f'[001_a]\ntitle = "{"长" * 1000}"\n', encoding="utf-8")
    status, output = _check(capsys, seeds)
    assert status == 2 and "'title' has 1,000 characters; at most" in output, output


def test_a_digests_toml_table_naming_no_digest_is_a_note(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    _digest(seeds)
    data = seeds / "digests.toml"
    data.write_text('[001_a]\ntitle = "第一期"\n\n["001_typo"]\ntitle = "拼错"\n', encoding="utf-8")
    status, output = _check(capsys, seeds)
    assert status == 0, output
    assert f"{data}:4: ['001_typo'] names no digest of this folder" in output
    assert "digests.toml: ignored, not a digest" not in output
