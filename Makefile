# paper-kb: `make html` builds the site, `make test` runs the tests.
# Both create .venv from the pinned requirements first (Python 3.11).

PYTHON    ?= python3.11
VENV      ?= .venv
SEEDS     ?= seeds
BUILDDIR  ?= _build
STRICT    ?= 1
SPHINXOPTS ?=
PYTEST_ARGS ?=
LIVEHTML_PORT ?= 8000
LIVEHTML_ARGS ?=

BIN := $(VENV)/bin
# STRICT=0 (or false, no, off): build the valid entries of a folder with problems.
LENIENT := $(filter 0 false no off,$(STRICT))
# -W --keep-going: every warning is reported, and any warning fails the build.
# Paths are quoted (a SEEDS or BUILDDIR may hold spaces); a relative SEEDS is taken from the
# checkout, the folder of conf.py, as Sphinx resolves paperkb_seeds.
SPHINXFLAGS = -W --keep-going -q -D "paperkb_seeds=$(SEEDS)" -D "paperkb_strict=$(STRICT)" $(SPHINXOPTS)
SPHINXBUILD = $(BIN)/python -m sphinx -b html $(SPHINXFLAGS) -d "$(BUILDDIR)/doctrees" . "$(BUILDDIR)/html"
# The book's targets (tools/sphinxext/book.py: the newest digests only) keep their own
# doctrees: their project is book/ alone, and sharing the site's would make the next
# `make html` read every page again.
BOOK_TARGETS := latex latexpdf epub
DOCTREES = "$(BUILDDIR)/$(if $(filter $(BOOK_TARGETS),$@),doctrees-book,doctrees)"
LINTED := tools tests benchmarks conf.py
# `make clean` needs no virtual environment: `python -m tools clean` uses the standard library only.
CLEAN_PYTHON := $(or $(wildcard $(BIN)/python),$(shell command -v $(PYTHON) || command -v python3))

BENCH_N ?= 100 1000 10000

.PHONY: help html livehtml test test-fast lint bench clean venv metadata

help:
	@echo "make html       set up $(VENV) and build the site into $(BUILDDIR)/html"
	@echo "make livehtml   serve the site on http://127.0.0.1:$(LIVEHTML_PORT)/, rebuilt and reloaded on each save in $(SEEDS) or docs"
	@echo "make test       set up $(VENV) (with test tools) and run the whole test suite"
	@echo "make test-fast  the unit and property tests only (no site builds, no browser)"
	@echo "make lint       ruff and mypy (strict on tools/)"
	@echo "make bench      build speed and page weight against bare Sphinx (BENCH_N=\"100 1000\" for a quick run)"
	@echo "make latexpdf   the book (the newest digests) as a PDF in $(BUILDDIR)/latex (xelatex, xeCJK)"
	@echo "make epub       the book as an EPUB in $(BUILDDIR)/epub"
	@echo "make linkcheck  check the site's external links (arXiv, code pages; needs the network)"
	@echo "make <builder>  any other Sphinx builder (sphinx-build -M <builder>), with the options of make html"
	@echo "make clean      remove $(BUILDDIR) and the generated pages"
	@echo "make metadata   fill in $(SEEDS)/metadata.toml from the arXiv API (papers lacking an entry)"
	@echo "variables:      SEEDS=$(SEEDS) BUILDDIR=$(BUILDDIR) STRICT=$(STRICT) (0: build valid entries despite problems)"

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.livehtml: requirements-livehtml.txt requirements.txt $(BIN)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-livehtml.txt
	touch $@

# requirements-dev.txt includes requirements-livehtml.txt: both are installed.
$(BIN)/.dev: requirements-dev.txt requirements-livehtml.txt requirements.txt $(BIN)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(BIN)/.livehtml

venv: $(BIN)/.runtime

# Nothing changed since the last build of $(BUILDDIR) (tools/files/uptodate.py): done, without
# starting Sphinx. Else the checker first: digest problems are listed as file:line and
# the build stops before Sphinx starts (the same checks run inside Sphinx for
# sphinx-build and Read the Docs, where they end the build with Sphinx's error report).
INPUTS = "$(SEEDS)" "$(BUILDDIR)" -- "STRICT=$(STRICT)" $(SPHINXOPTS)
html: $(BIN)/.runtime
	@if $(BIN)/python -m tools uptodate $(INPUTS); then exit 0; fi; \
	$(if $(LENIENT),,$(BIN)/python -m tools check "$(SEEDS)" &&) \
	$(SPHINXBUILD) && $(BIN)/python -m tools uptodate --record $(INPUTS) && \
	echo "Built $(BUILDDIR)/html/index.html"

# sphinx-autobuild with make html's options, watching $(SEEDS) too and ignoring the pages the
# converter writes (tools/livehtml.py): one rebuild per save. LIVEHTML_ARGS: more of its
# options (--open-browser, --host 0.0.0.0).
livehtml: $(BIN)/.livehtml
	$(BIN)/python -m tools.livehtml "$(SEEDS)" "$(BUILDDIR)" --port $(LIVEHTML_PORT) \
	  $(SPHINXFLAGS) $(LIVEHTML_ARGS)

test: $(BIN)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(BIN)/.dev
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

lint: $(BIN)/.dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy

# On demand, never in the tests: prints a table, also written to $(BUILDDIR)/bench/bench.{md,json}.
bench: $(BIN)/.dev
	BENCH_N="$(BENCH_N)" $(BIN)/python -m benchmarks.bench --out "$(BUILDDIR)/bench"

metadata: $(BIN)/.runtime
	$(BIN)/python -m tools metadata "$(SEEDS)" $(METADATA_ARGS)

clean:
	rm -rf "$(BUILDDIR)"
	@test -n "$(CLEAN_PYTHON)" || { echo "make clean: no Python found to remove the generated pages (set PYTHON=...)"; exit 2; }
	$(CLEAN_PYTHON) -m tools clean

# Sphinx's catch-all ("make mode", as sphinx-quickstart writes it): make latexpdf, epub,
# linkcheck, singlehtml, ... with the options of make html and the checker first. Files
# that the rules above depend on have empty rules, so that make never hands them to Sphinx.
Makefile requirements.txt requirements-dev.txt requirements-livehtml.txt: ;

%: $(BIN)/.runtime
	@$(if $(LENIENT),,$(BIN)/python -m tools check "$(SEEDS)" &&) \
	$(BIN)/python -m sphinx -M $@ . "$(BUILDDIR)" $(SPHINXFLAGS) -d $(DOCTREES)
