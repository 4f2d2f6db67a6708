# Two commands do all the set-up on a fresh machine (Python >= 3.11):
#   make serve   the books in Fava on http://127.0.0.1:5000/ (read-only)
#   make test    the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LEDGER ?= ledger/main.beancount
PORT   ?= 5000

.PHONY: serve check sources statements test lint browser print-tools reconstruct clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/jlis-ledger serve $(LEDGER) --port $(PORT)

check: $(STAMP)
	$(BIN)/jlis-ledger check $(LEDGER)

sources: $(STAMP)
	$(BIN)/jlis-ledger sources $(LEDGER)

# Every published statement regenerated from the books, as a workbook (one sheet each) and a PDF that print
# like the report, and the check against the publication.
statements: $(STAMP) print-tools
	mkdir -p artifacts
	$(BIN)/jlis-ledger statements $(LEDGER) --all --year 2022 --format xlsx -o artifacts/statements-r4.xlsx
	$(BIN)/jlis-ledger statements $(LEDGER) --all --year 2022 --format pdf -o artifacts/statements-r4.pdf
	$(BIN)/jlis-ledger reconcile $(LEDGER)

test: $(STAMP) browser print-tools lint
	$(BIN)/python -m pytest -q

# The habits of the field: a wide ruff rule set (pyproject.toml) and mypy on the library.
lint: $(STAMP)
	$(BIN)/ruff check jlis_ledger importers ledger/reconstruct
	$(BIN)/mypy

# Debian's Chromium for the browser tests, and a Japanese font so that their screenshots (and the guide's)
# are readable, not boxes (idempotent; needs root or sudo when something is missing).
browser:
	command -v chromium >/dev/null && fc-list :lang=ja family | grep -q . || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium chromium-driver fonts-ipafont-gothic fonts-ipafont-mincho; }

# The PDF's Japanese font (IPAex明朝, IPA Font License: embedding allowed; jlis_ledger/render/fonts.py) and
# poppler's pdftoppm/pdftotext, which the PDF tests read pages with (idempotent; needs root or sudo when missing).
print-tools:
	{ command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null && test -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf; } || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y poppler-utils fonts-ipaexfont-mincho; }

# Regenerate the published data and the FY2022 books from the source text (developers).
reconstruct: $(STAMP)
	$(BIN)/python ledger/published/recover.py
	$(BIN)/python ledger/reconstruct/fy2022.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
