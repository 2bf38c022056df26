# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.installed-test-stamp
CONFIG ?= config.toml

.PHONY: install install-test run test lint typecheck unit bench clean

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
	touch $(TEST_STAMP)

install-test: $(TEST_STAMP)

# Until the web app exists, the main job answers sample questions and checks a claim.
run: install
	$(BIN)/kilde --config $(CONFIG) ingest
	$(BIN)/kilde --config $(CONFIG) ask \
		"Hva er det sentrale i prioriteringene, og hvor svikter det?" \
		"What does the EIT think regions should make use of?"
	$(BIN)/kilde --config $(CONFIG) check \
		"The report says the method originated entirely within the EU."

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
