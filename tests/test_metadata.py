"""Paper metadata: the curated file, and its refresh from an arXiv API served on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest

from tools.read import arxiv_api, metadata
from tools.read.metadata import ORIGIN_API, PaperMeta

from .conftest import ROOT, SEEDS, SHARED, run_check, write_digest

SHARED_JSON = SHARED / "metadata" / "arxiv-metadata.json"

KNOWN = {  # what the local "arXiv" knows
    "2501.00001": ("A First Paper on Things", ["Ada Lovelace", "Charles Babbage"], "2025-01-02", "cs.LG"),
    "2501.00002": ("Second: Another Paper", ["Émilie du Châtelet"], "2025-01-03", "cs.CL"),
    "2501.00003": ("Third   Paper\n  with a wrapped title", ["Grace Hopper"], "2025-01-04", "cs.AI"),
}


def atom(ids: list[str]) -> bytes:
    """A feed in the format of the arXiv API, an error entry for an unknown id."""
    entries = []
    for arxiv_id in ids:
        if arxiv_id not in KNOWN:
            entries.append("<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_"
                           f"{escape(arxiv_id)}</id><title>Error</title>"
                           f"<summary>incorrect id format for {escape(arxiv_id)}</summary></entry>")
            continue
        title, authors, published, primary = KNOWN[arxiv_id]
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}v2</id>"
            f"<updated>2025-02-01T00:00:00Z</updated><published>{published}T17:59:06Z</published>"
            f"<title>{escape(title)}</title><summary>Abstract.</summary>"
            + "".join(f"<author><name>{escape(a)}</name></author>" for a in authors)
            + f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{primary}" '
              'scheme="http://arxiv.org/schemas/atom"/>'
            + f'<category term="{primary}" scheme="http://arxiv.org/schemas/atom"/>'
            + '<category term="stat.ML" scheme="http://arxiv.org/schemas/atom"/></entry>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom"><title>ArXiv Query</title>'
            + "".join(entries) + "</feed>").encode()


class FakeArxiv:
    def __init__(self, failures: int = 0) -> None:
        self.requests: list[tuple[float, list[str]]] = []
        self.failures = failures
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                query = parse_qs(urlsplit(self.path).query)
                ids = query["id_list"][0].split(",")
                outer.requests.append((time.monotonic(), ids))
                if outer.failures:
                    outer.failures -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                body = atom(ids)
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def fake_arxiv():
    server = FakeArxiv()
    yield server
    server.close()


@pytest.fixture()
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    text = "".join(f"## Paper {i}\n[论文](https://arxiv.org/abs/{i})\n\n摘要。\n\n" for i in KNOWN)
    (folder / "001_x.txt").write_text(text + "## Unknown\n[论文](https://arxiv.org/abs/2501.09999)\n\n摘要。\n",
                                      encoding="utf-8")
    return folder


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


SAMPLE_JSON = {
    "2503.10622": {"title": "Transformers without Normalization",
                   "authors": ["Jiachen Zhu", "Xinlei Chen", "Kaiming He", "Yann LeCun", "Zhuang Liu"],
                   "published": "2025-03-13", "primary_category": "cs.LG",
                   "categories": ["cs.LG", "cs.AI"], "complete": True,
                   "sources": ["https://arxiv.org/abs/2503.10622"]},
    "2503.07920": {"title": "Crowdsource, Crawl, or Generate?",
                   "authors": ["Samuel Cahyawijaya", "{Supryadi}"],
                   "published": "2025-03-10", "categories": [], "complete": False},
}


def test_json_import_is_lossless_and_deterministic(tmp_path):
    path = tmp_path / metadata.FILENAME
    assert metadata.save(path, metadata.from_json(SAMPLE_JSON)) is True
    assert metadata.save(path, metadata.from_json(SAMPLE_JSON)) is False  # nothing to change
    loaded = metadata.load(path)
    assert loaded == metadata.from_json(SAMPLE_JSON)
    assert list(loaded) == ["2503.07920", "2503.10622"]  # id order, whatever the input order
    assert loaded["2503.07920"].primary_category is None and not loaded["2503.07920"].complete


def test_frozen_seeds_are_the_shipped_digests_and_the_import_of_the_shared_json():
    """The tests' copy of the seeds is what the team shipped (shared/), byte for byte."""
    if not SHARED_JSON.is_file():
        pytest.skip(f"{SHARED_JSON} is not beside this checkout (CI has it)")
    data = json.loads(SHARED_JSON.read_text(encoding="utf-8"))
    assert metadata.load(SEEDS / metadata.FILENAME) == metadata.from_json(data)
    shipped = sorted((SHARED / "seeds").glob("*.txt"))
    assert shipped and [p.name for p in shipped] == [p.name for p in sorted(SEEDS.glob("*.txt"))]
    for digest in shipped:
        assert (SEEDS / digest.name).read_bytes() == digest.read_bytes(), digest.name


def test_parse_feed_skips_error_entries_and_cleans_titles():
    papers = arxiv_api.parse_feed(atom(["2501.00003", "bogus"]))
    (meta,) = papers.values()
    assert meta.arxiv_id == "2501.00003"
    assert meta.title == "Third Paper with a wrapped title"
    assert meta.origin == ORIGIN_API and not meta.edited


def test_metadata_command_fills_missing_entries_over_http(seeds, fake_arxiv):
    curated = PaperMeta("2501.00001", "Curated Title", ("Someone Else",))
    metadata.save(seeds / metadata.FILENAME, {"2501.00001": curated})
    run = run_cli("metadata", str(seeds), "--api", fake_arxiv.url, "--min-interval", "0",
                  "--batch-size", "2")
    assert run.returncode == 0, run.stderr
    assert "2501.09999: not found" in run.stderr
    entries = metadata.load(seeds / metadata.FILENAME)
    assert entries["2501.00001"] == curated  # a curated entry is never overwritten
    assert entries["2501.00002"].authors == ("Émilie du Châtelet",)
    assert entries["2501.00002"].published.isoformat() == "2025-01-03"
    assert entries["2501.00002"].categories == ("cs.CL", "stat.ML")
    assert entries["2501.00003"].origin == ORIGIN_API
    # batches of two ids (their spacing: test_requests_are_spaced_...)
    assert [ids for _, ids in fake_arxiv.requests] == [["2501.00002", "2501.00003"], ["2501.09999"]]
    # a second run has nothing to fetch (the unknown id is asked again, and still unknown)
    before = (seeds / metadata.FILENAME).read_bytes()
    again = run_cli("metadata", str(seeds), "--api", fake_arxiv.url, "--min-interval", "0")
    assert again.returncode == 0 and (seeds / metadata.FILENAME).read_bytes() == before


def test_refresh_keeps_hand_edited_entries_unless_forced(seeds, fake_arxiv):
    run_cli("metadata", str(seeds), "--api", fake_arxiv.url, "--min-interval", "0")
    path = seeds / metadata.FILENAME
    edited = path.read_text(encoding="utf-8").replace('"Grace Hopper"', '"Grace Brewster Hopper"')
    path.write_text(edited, encoding="utf-8")
    refresh = run_cli("metadata", str(seeds), "--refresh", "--api", fake_arxiv.url, "--min-interval", "0")
    assert "2501.00003: edited by hand, kept" in refresh.stdout
    assert metadata.load(path)["2501.00003"].authors == ("Grace Brewster Hopper",)
    forced = run_cli("metadata", str(seeds), "--force", "--api", fake_arxiv.url, "--min-interval", "0")
    assert forced.returncode == 0
    assert metadata.load(path)["2501.00003"].authors == ("Grace Hopper",)


def test_offline_gives_a_clear_message_and_no_change(seeds, fake_arxiv):
    path = seeds / metadata.FILENAME
    metadata.save(path, {"2501.00001": PaperMeta("2501.00001", "T", ("A B",))})
    before = path.read_bytes()
    fake_arxiv.close()  # nothing listens on that port any more
    run = run_cli("metadata", str(seeds), "--api", fake_arxiv.url, "--min-interval", "0")
    assert run.returncode == 3
    assert "not reachable" in run.stderr and "unchanged" in run.stderr
    assert path.read_bytes() == before


class FakeClock:
    """time.monotonic and time.sleep for arxiv_api.fetch: sleeping advances the clock at once."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_requests_are_spaced_and_server_errors_retried_with_back_off():
    server, clock = FakeArxiv(failures=2), FakeClock()
    try:
        result = arxiv_api.fetch(["2501.00001", "2501.00002"], api=server.url, batch_size=1,
                                 min_interval=3.0, retries=3, clock=clock, sleep=clock.sleep)
    finally:
        server.close()
    assert list(result.papers) == ["2501.00001", "2501.00002"]
    assert [ids for _, ids in server.requests] == [["2501.00001"]] * 3 + [["2501.00002"]]
    # two 503s: back-off doubles the interval (6 s, 12 s); the next batch waits the interval
    assert clock.sleeps == [6.0, 12.0, 3.0]


def test_retries_give_up_with_unreachable():
    server, clock = FakeArxiv(failures=10), FakeClock()
    try:
        with pytest.raises(arxiv_api.Unreachable, match="after 3 attempts"):
            arxiv_api.fetch(["2501.00001"], api=server.url, min_interval=3.0, retries=2,
                            clock=clock, sleep=clock.sleep)
    finally:
        server.close()
    assert clock.sleeps == [6.0, 12.0] and len(server.requests) == 3


def test_papers_without_metadata_still_build_their_citation():
    from tools.enrich.enriched import citation
    from tools.model import Paper

    paper = Paper("2503.99999", "Some Title", "标题", ("摘要",), "https://arxiv.org/abs/2503.99999", (), ())
    cited = citation(paper, None)
    assert cited.authors == () and cited.title == "Some Title" and cited.year == 2025


def test_a_paper_page_names_the_arxiv_title_only_when_the_metadata_gives_another_one(tmp_path):
    from tools.pipeline import convert

    from .conftest import copy_project

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    text = (seeds / metadata.FILENAME).read_text(encoding="utf-8")
    text = text.replace('title = "RuCCoD: Towards Automated ICD Coding in Russian"\n', "", 1)
    text = text.replace('title = "Transformers without Normalization"',
                        'title = "Transformers Without Norms"', 1)
    (seeds / metadata.FILENAME).write_text(text, encoding="utf-8")
    docs = copy_project(tmp_path / "project") / "docs"
    convert(seeds, docs)
    untitled = (docs / "papers" / "2502.21263.md").read_text(encoding="utf-8")
    retitled = (docs / "papers" / "2503.10622.md").read_text(encoding="utf-8")
    assert "Title on arXiv" not in untitled  # no title in the metadata: nothing to compare
    assert "- **Title on arXiv:** Transformers Without Norms\n" in retitled


UNSPLITTABLE = "Smith, Jr., John, Extra"  # pybtex reads at most two commas: InvalidNameString


def test_an_author_name_pybtex_cannot_split_is_an_error_at_its_line(tmp_path):
    path = tmp_path / metadata.FILENAME
    path.write_text('["2503.10622"]\ntitle = "T"\nauthors = [\n    "Ada Lovelace",\n'
                    f'    "{UNSPLITTABLE}",\n]\n\n["2503.07920"]\nauthors = ["{UNSPLITTABLE}"]\n',
                    encoding="utf-8")
    with pytest.raises(metadata.MetadataError) as raised:
        metadata.load(path)
    assert str(raised.value).startswith(f"{path}:5: authors: {UNSPLITTABLE!r} has too many commas")
    path.write_text(f'["2503.07920"]\nauthors = ["{UNSPLITTABLE}"]\n', encoding="utf-8")
    with pytest.raises(metadata.MetadataError, match=rf"^{re.escape(str(path))}:2: authors: "):
        metadata.load(path)


def test_check_names_an_unsplittable_author_in_one_line(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = seeds / metadata.FILENAME
    item = f'    "{UNSPLITTABLE}",'
    text = path.read_text(encoding="utf-8").replace("authors = [\n", f"authors = [\n{item}\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(item) + 1
    run = run_cli("check", str(seeds))
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        f"python -m tools check: error: {path}:{line}: authors: {UNSPLITTABLE!r} has too many commas to be "
        'split into family and given names (write "Given Family", "Family, Given" or "Family, Jr., Given")']


# --- Malformed metadata -----------------------------------------------------------------------

METADATA_ERRORS = [
    ('["2503.00001"]\ntitle = "T"\nauthors = 3\n', "3: authors: expected a list of strings"),
    ('["2503.00001"]\nauthors = "Ada Lovelace"\n', "2: authors: expected a list of strings"),
    ('["2503.00001"]\n\ncategories = "cs.LG"\n', "3: categories: expected a list of strings"),
    ('["2503.00001"]\nsources = [1, 2]\n', "2: sources: expected a list of strings"),
    ('["2503.00001"]\nprimary_category = ["cs.LG"]\n', "2: primary_category: expected a string"),
    ('["2503.00001"]\ncomplete = "yes"\n', "2: complete: expected true or false"),
    ('["2503.00001"]\npublished = "2025-03-01"\n', "2: published: expected a date such as 2025-03-13"),
    ('["2503.00001"]\npublished = 2025-03-01T10:00:00\n', "2: published: expected a date"),
    ('["2503.00001"]\nauthor = ["Ada"]\n', "2: author: unknown field"),
    ('["2503.00001"]\ntitle = "A\\u0000B"\n', "2: title: control character(s) U+0000"),
    ("# c\n[2503.00001]\ntitle = 'T'\n", "2: ['2503']: not an arXiv identifier"),  # bare: a table 2503
    ('["2513.00001"]\ntitle = "T"\n', "1: ['2513.00001']: no month 13"),
    ('["2503.00001"]\ntitle = "T"\n["2503.00002"]\ntitle = "U"\nauthors = {a = 1}\n',
     "5: authors: expected a list of strings"),
]


@pytest.mark.parametrize(("text", "message"), METADATA_ERRORS)
def test_malformed_metadata_is_named_with_file_line_and_field(tmp_path, capsys, text, message):
    seeds = tmp_path / "seeds"
    write_digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    (seeds / "metadata.toml").write_text(text, encoding="utf-8")
    status, output = run_check(capsys, seeds)
    assert status == 2 and "Traceback" not in output, output
    assert f"{seeds / 'metadata.toml'}:{message}" in output


def test_a_metadata_file_that_is_not_utf8_or_not_a_file_is_one_line(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    write_digest(seeds, "001_real.txt", "Real", "https://arxiv.org/abs/2503.00001")
    (seeds / "metadata.toml").write_bytes('["2503.00001"]\ntitle = "中文"\n'.encode("gb18030"))
    status, output = run_check(capsys, seeds)
    assert status == 2 and f"{seeds / 'metadata.toml'}:2: not UTF-8" in output, output
    (seeds / "metadata.toml").unlink()
    (seeds / "metadata.toml").mkdir()
    status, output = run_check(capsys, seeds)
    assert status == 2 and f"{seeds / 'metadata.toml'}: cannot be read" in output, output


def test_no_metadata_field_can_inject_bibtex_fields(tmp_path):
    import bibtexparser

    from tools.enrich.enriched import citation
    from tools.model import Paper
    from tools.read import metadata
    from tools.render import bibtex

    path = tmp_path / "metadata.toml"
    hostile = "cs.CL}, note = {injected} , x = {"
    path.write_text('["2503.00001"]\ntitle = "T {x} $y$"\nauthors = ["A} and {B"]\n'
                    + f"primary_category = {json.dumps(hostile)}\n", encoding="utf-8")
    meta = metadata.load(path)["2503.00001"]
    paper = Paper("2503.00001", "T", "中文", ("摘要",), "https://arxiv.org/abs/2503.00001", (), ())
    text = bibtex.write([bibtex.entry(citation(paper, meta), "k")])
    (entry,) = bibtexparser.parse_string(text).entries
    assert set(entry.fields_dict) == {"title", "author", "year", "month", "doi", "eprint",
                                      "archivePrefix", "eprinttype", "primaryClass", "url"}
    assert "injected" not in {f.key for f in entry.fields} and "note" not in entry.fields_dict
