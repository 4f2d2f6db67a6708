# Two commands do all the set-up on a fresh machine (Python >= 3.11 with venv, and make; see README):
#   make serve   the books in Fava on http://127.0.0.1:5000/ (read-only); installs only what serving needs
#   make test    the whole test suite; installs the test tools, and Chromium with apt (root or sudo) if missing
# `make help` lists every target. Commands run from .venv/bin/ (or after `. .venv/bin/activate`).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# STAMP: the library with its test and analytics extras; SERVE_STAMP: the library alone (serving, the reports)
STAMP  := $(VENV)/.installed-stamp
SERVE_STAMP := $(VENV)/.serve-stamp
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
LEDGER ?= ledger/main.beancount
PORT   ?= 5000

.DEFAULT_GOAL := help
.PHONY: help serve check sources statements test lint browser print-tools reconstruct clean

help: ## list the targets
	@echo "make TARGET (the commands themselves: .venv/bin/jlis-ledger --help)"
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(SERVE_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $(SERVE_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $(STAMP) $(SERVE_STAMP)

serve: $(SERVE_STAMP) ## the books in Fava on http://127.0.0.1:5000/, read-only (LEDGER=FILE, PORT=N to change)
	$(BIN)/jlis-ledger serve $(LEDGER) --port $(PORT)

check: $(SERVE_STAMP) ## the books' errors and a summary per business
	$(BIN)/jlis-ledger check $(LEDGER)

sources: $(SERVE_STAMP) ## the derived and allocated figures with their rules
	$(BIN)/jlis-ledger sources $(LEDGER)

statements: $(SERVE_STAMP) print-tools ## every published statement into artifacts/statements-r4.xlsx and .pdf, and the check against the publication
	mkdir -p artifacts
	$(BIN)/jlis-ledger statements $(LEDGER) --all --year 2022 --format xlsx -o artifacts/statements-r4.xlsx
	$(BIN)/jlis-ledger statements $(LEDGER) --all --year 2022 --format pdf -o artifacts/statements-r4.pdf
	$(BIN)/jlis-ledger reconcile $(LEDGER)

test: $(STAMP) browser print-tools lint ## the whole test suite (lint first; Chromium and the PDF tools for their tests)
	$(BIN)/python -m pytest -q

# The habits of the field: a wide ruff rule set (pyproject.toml) and mypy on the library and the importers
# (pyproject [tool.mypy] packages: the importers/ folder, installed as jlis_ledger.importers, is checked as it stands).
lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check jlis_ledger importers ledger/reconstruct ledger/published
	$(BIN)/mypy

# Debian's Chromium (Playwright drives it directly: no chromium-driver) and Japanese fonts, so that the pages and
# their screenshots (and the guide's) are readable; idempotent; apt-get needs root or sudo when something is missing;
# nothing with JLIS_SKIP_BROWSER=1 (the browser tests then skip).
browser: ## Chromium and Japanese fonts for the browser tests (apt-get, as root or with sudo, if missing)
	if [ -z "$$JLIS_SKIP_BROWSER" ] && ! { command -v chromium >/dev/null && dpkg -s fonts-ipafont-gothic fonts-ipafont-mincho >/dev/null 2>&1; }; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium fonts-ipafont-gothic fonts-ipafont-mincho; fi

# The PDF's Japanese font (IPAex明朝, IPA Font License: embedding allowed; jlis_ledger/render/fonts.py) and
# poppler's pdftoppm/pdftotext, which the PDF tests read pages with (idempotent; needs root or sudo when missing).
print-tools: ## the PDF's font and poppler for the PDF tests (apt-get, as root or with sudo, if missing)
	{ command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null && test -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf; } || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends poppler-utils fonts-ipaexfont-mincho; }

reconstruct: $(STAMP) ## regenerate the published data and the FY2022 books from the source text (developers)
	$(BIN)/python ledger/published/recover.py
	$(BIN)/python ledger/reconstruct/fy2022.py

clean: ## remove the virtual environment and the build files
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
