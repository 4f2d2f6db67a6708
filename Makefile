# Two commands do all the set-up on a fresh machine (Python >= 3.11):
#   make serve   the books in Fava on http://127.0.0.1:5000/ (read-only)
#   make test    the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LEDGER ?= ledger/main.beancount
PORT   ?= 5000

.PHONY: serve check sources statements test lint browser reconstruct clean

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

# Every published statement regenerated from the books, one sheet each, and the check against the publication.
statements: $(STAMP)
	mkdir -p artifacts
	$(BIN)/jlis-ledger statements $(LEDGER) --all --year 2022 --format xlsx -o artifacts/statements-r4.xlsx
	$(BIN)/jlis-ledger reconcile $(LEDGER)

test: $(STAMP) browser lint
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

# Regenerate the published data and the FY2022 books from the source text (developers).
reconstruct: $(STAMP)
	$(BIN)/python ledger/published/recover.py
	$(BIN)/python ledger/reconstruct/fy2022.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
