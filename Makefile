# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.installed-test-stamp
CONFIG ?= config.toml

.PHONY: install install-test chromium run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The tests also exercise the local GGUF backend: llama-cpp-python compiles
# from source once per machine (about 15 minutes on 2 cores; pip caches the wheel).
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,local]'
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory chromium
	touch $(TEST_STAMP)

install-test: $(TEST_STAMP)

# The browser tests drive Debian's Chromium; Playwright's own browser download is not used.
chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "the browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi

# Ingest the default corpus (offline it keeps the bundled report and reports each
# link it could not fetch), then start the web app on http://127.0.0.1:7860.
run: install
	$(BIN)/kilde --config $(CONFIG) ingest
	GRADIO_ANALYTICS_ENABLED=False $(BIN)/kilde --config $(CONFIG) serve

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	$(BIN)/mypy

unit: install-test
	$(BIN)/pytest

test: lint typecheck unit

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
