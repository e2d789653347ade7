# paper-kb: `make html` builds the site, `make test` runs the tests.
# Both create .venv from the pinned requirements first (Python 3.11).

PYTHON    ?= python3.11
VENV      ?= .venv
SEEDS     ?= seeds
BUILDDIR  ?= _build
STRICT    ?= 1
SPHINXOPTS ?=
PYTEST_ARGS ?=

BIN := $(VENV)/bin
# -W --keep-going: every warning is reported, and any warning fails the build.
SPHINXBUILD = $(BIN)/python -m sphinx -b html -W --keep-going -q \
	-d $(BUILDDIR)/doctrees -D paperkb_seeds=$(abspath $(SEEDS)) -D paperkb_strict=$(STRICT) \
	$(SPHINXOPTS) . $(BUILDDIR)/html

.PHONY: help html test clean venv metadata

help:
	@echo "make html   set up $(VENV) and build the site into $(BUILDDIR)/html"
	@echo "make test   set up $(VENV) (with test tools) and run the test suite"
	@echo "make clean  remove $(BUILDDIR) and the generated pages"
	@echo "make metadata  fill in $(SEEDS)/metadata.toml from the arXiv API (papers lacking an entry)"
	@echo "variables:  SEEDS=$(SEEDS) BUILDDIR=$(BUILDDIR) STRICT=$(STRICT) (0: build valid entries despite problems)"

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev: requirements-dev.txt requirements.txt $(BIN)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.runtime

html: $(BIN)/.runtime
	$(SPHINXBUILD)
	@echo "Built $(BUILDDIR)/html/index.html"

test: $(BIN)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

metadata: $(BIN)/.runtime
	$(BIN)/python -m tools metadata $(SEEDS) $(METADATA_ARGS)

clean:
	rm -rf $(BUILDDIR)
	$(PYTHON) -m tools clean
