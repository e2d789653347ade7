"""The book (PDF and EPUB) builds the way Read the Docs builds it (``formats: [pdf, epub]``).

Read the Docs runs, from the folder of conf.py and into the doctrees of the HTML build:
``python -m sphinx -T -b latex -d _build/doctrees -D language=en . $READTHEDOCS_OUTPUT/pdf``,
then ``latexmk -r latexmkrc -pdf -f -dvi- -ps- -jobname=<project> -interaction=nonstopmode``
in that folder, and ``python -m sphinx -T -W --keep-going -b epub ...`` (its EPUB builder
adds ``-W --keep-going`` from fail_on_warning; its PDF builder does not, the test does). One
build of each per module, in the checkout of ``readthedocs_site`` (after its HTML build).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import READTHEDOCS_COMMAND, project_with_makefile, run_make

pytestmark = pytest.mark.slow

# A paper of the seeds with a formula in its abstract: its titles, and the formula.
TITLE_ZH = "无需归一化的 Transformer"
TITLE_EN = "Transformers without Normalization"
FORMULA_TEX = r"\(DyT(x) = \tanh(\alpha x)\)"
# (program, Debian package): .ci/run installs them.
TOOLS = (("xelatex", "texlive-xetex"), ("latexmk", "latexmk"), ("pdftotext", "poppler-utils"))
TEX_FILES = (("xeCJK.sty", "texlive-lang-cjk"), ("ctexhook.sty", "texlive-lang-chinese"),
             ("pzdr.tfm", "texlive-fonts-recommended"))


def _require_tex() -> None:
    for program, package in TOOLS:
        if shutil.which(program) is None:
            pytest.fail(f"{program} not found: install the Debian package {package}")
    for name, package in TEX_FILES:
        if subprocess.run(["kpsewhich", name], capture_output=True).returncode != 0:
            pytest.fail(f"{name} not found by kpsewhich: install the Debian package {package}")
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    if "Noto Serif CJK SC" not in fonts:
        pytest.fail("Noto Serif CJK SC not found: install the Debian package fonts-noto-cjk")


def _sphinx(checkout: Path, builder: str, output: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *READTHEDOCS_COMMAND, str(output)]
    command[command.index("html")] = builder
    return subprocess.run(command, cwd=checkout, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def book(readthedocs_site) -> dict[str, Path]:
    """The seeds checkout's PDF and EPUB, built as Read the Docs does: {"pdf", "tex", "epub"}: paths."""
    _require_tex()
    html, _ = readthedocs_site
    output = html.parent
    checkout = output.parent / "checkout"
    latex = _sphinx(checkout, "latex", output / "pdf")
    assert latex.returncode == 0 and "WARNING" not in latex.stderr, latex.stdout + latex.stderr
    pdf = subprocess.run(["latexmk", "-r", "latexmkrc", "-pdf", "-f", "-dvi-", "-ps-", "-jobname=paper-kb",
                          "-interaction=nonstopmode"], cwd=output / "pdf", capture_output=True, text=True,
                         timeout=600)
    assert pdf.returncode == 0, pdf.stdout[-3000:] + pdf.stderr[-3000:]
    epub = _sphinx(checkout, "epub", output / "epub")
    assert epub.returncode == 0, epub.stdout + epub.stderr
    return {"pdf": output / "pdf" / "paper-kb.pdf", "tex": output / "pdf" / "paper-kb.tex",
            "epub": output / "epub" / "paper-kb.epub"}


def test_pdf_holds_chinese_and_english_titles_and_formulas(book):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book["pdf"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert TITLE_ZH in text and TITLE_EN in text
    assert "tanh(αx)" in text.replace(" ", "")  # typeset as math: the TeX source is not in the text
    tex = book["tex"].read_text(encoding="utf-8")
    assert FORMULA_TEX in tex and "<math" not in tex and "mathml" not in tex.lower()


def test_pdf_holds_the_book_not_the_site(book):
    tex = book["tex"].read_text(encoding="utf-8")
    # Listing pages (topics, glossary, months, bibliography) are web navigation.
    for heading in ("主题 · Topics", "术语表 · Glossary", "参考文献 · Bibliography", "时间线 · Timeline"):
        assert heading not in tex, heading
    assert "This book holds the newest 2 digests, 25 papers" in tex


def test_epub_is_a_valid_container_with_the_papers(book):
    with zipfile.ZipFile(book["epub"]) as epub:
        assert epub.testzip() is None
        first = epub.infolist()[0]
        # OCF: "mimetype" first, stored uncompressed, holding exactly the media type.
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert epub.read("mimetype") == b"application/epub+zip"
        pages = {name: epub.read(name).decode("utf-8") for name in epub.namelist()
                 if name.endswith(".xhtml")}
    assert any(TITLE_ZH in text for text in pages.values())
    assert not any(name.startswith(("papers/", "topics/", "terms/", "months/")) for name in pages)
    # The site's top bar (search box, section links) has no place in a book.
    assert not any("paperkb-top" in text for text in pages.values())
    assert any('<math xmlns="http://www.w3.org/1998/Math/MathML"' in text for text in pages.values())


def test_make_targets_run_sphinx_make_mode_with_the_strict_options(tmp_path):
    project = project_with_makefile(tmp_path / "project")
    for target, doctrees in (("latexpdf", "doctrees-book"), ("epub", "doctrees-book"),
                             ("linkcheck", "doctrees")):
        run = run_make(project, "-n", target, "BUILDDIR=out")
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"-m sphinx -M {target} . \"out\" -W --keep-going" in run.stdout, run.stdout
        assert f'-d "out/{doctrees}"' in run.stdout and "-m tools check" in run.stdout
    assert "make latexpdf" in run_make(project, "help").stdout
