"""The site builds the way Read the Docs builds it, with no Makefile involved."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from .conftest import ROOT, paper_page, paper_pages, soup

pytestmark = pytest.mark.slow


def test_readthedocs_config_uses_pinned_requirements_and_root_conf():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert config["version"] == 2
    assert config["sphinx"]["configuration"] == "conf.py"
    assert config["build"]["tools"]["python"] == "3.11"
    assert {"requirements": "requirements.txt"} in config["python"]["install"]
    assert config["formats"] == ["pdf", "epub"]  # built by tests/test_formats.py


def test_readthedocs_build_command(readthedocs_site):
    html, run = readthedocs_site
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(list(paper_pages(html))) == 25
    assert (html / "refs.bib").is_file() and (html / "index.html").is_file()
    assert soup(paper_page(html, "2503.18878")).select_one("div.body h1").get_text().startswith(
        "I Have Covered All the Bases Here")
    # language=en overrides the UI language, not the search language: Chinese stays segmented.
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", (html / "searchindex.js").read_text()).group(1))
    assert "稀疏自编码器" in index["terms"]
