"""The overrides of dependency internals: listed, guarded, and still doing their job."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
from sphinx.errors import ExtensionError

from tools.sphinxext import compat

from .conftest import ROOT


def test_installed_versions_are_the_tested_ones():
    compat.check_versions()  # the pins in requirements.txt
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for package, tested in compat.TESTED.items():
        assert f"{package}=={tested}" in requirements.replace("_", "-"), package
        assert version(package) == tested


def test_an_untested_version_stops_the_build_naming_the_overrides():
    installed = {**compat.TESTED, "sphinx": "9.1.0"}
    with pytest.raises(ExtensionError) as raised:
        compat.check_versions(installed.__getitem__)
    message = str(raised.value)
    assert "sphinx 9.1.0 is installed" in message and "9.0.4" in message
    assert "search.drop_empty_terms" in message and "run_converter.on_config_inited" in message
    assert "IndexedBibtexDomain" not in message  # that one relies on sphinxcontrib-bibtex only


def test_a_missing_package_is_named():
    def installed(package: str) -> str:
        if package == "jieba":
            from importlib.metadata import PackageNotFoundError
            raise PackageNotFoundError(package)
        return compat.TESTED[package]

    with pytest.raises(ExtensionError, match="jieba is not installed"):
        compat.check_versions(installed)


def test_the_design_record_holds_the_overrides_table_as_generated():
    design = (ROOT / "tools" / "DESIGN.md").read_text(encoding="utf-8")
    section = design.split("## Overrides of dependency internals", 1)[1].split("\n## ", 1)[0]
    table = "".join(line + "\n" for line in section.splitlines() if line.startswith("|"))
    assert table == compat.overrides_table()  # every column, row for row
    assert all(override.package in compat.TESTED for override in compat.OVERRIDES)


@pytest.mark.slow
def test_the_stemmer_named_in_language_data_is_defined(seeds_site):
    """search.ChineseSearch.language_name: the search page must not throw (sphinx#14229)."""
    code = (seeds_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    (name,) = re.findall(r"window\.Stemmer = (\w+);", code)
    assert re.search(rf"\b(?:class|function|var|const|let) {name}\b", code), name


def test_pybtex_plugins_are_found_without_scanning_installed_packages(monkeypatch):
    # citation._register_installed_pybtex_plugins: every lookup a dictionary hit.
    import pybtex.plugin

    from tools.sphinxext.citation_styles import _register_installed_pybtex_plugins

    _register_installed_pybtex_plugins()

    def scan(**_: object) -> None:
        raise AssertionError("pybtex scanned the installed packages' entry points")

    monkeypatch.setattr(pybtex.plugin, "entry_points", scan)
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext").default_suffix == ".txt"
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain").__name__ == "Style"
