# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.installed-test-stamp
CONFIG ?= config.toml

.PHONY: install install-test local chromium run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The local GGUF backend: llama-cpp-python compiles from source once per machine (about
# 15 minutes on 2 cores) into a wheel folder that later installs take it from. Built
# portable (AVX2): a native build also compiles llama.cpp's AMX kernels, which crashed
# (SIGSEGV in ggml_backend_amx_mul_mat) on a machine whose CPU has AMX.
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
WHEELS ?= $(HOME)/.cache/kilde/wheels

local: $(STAMP)
	@ls $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/python -m pip wheel --quiet --no-cache-dir --no-deps \
		-w $(WHEELS) 'llama-cpp-python==$(LLAMA_VERSION)'
	$(BIN)/python -m pip install --quiet --find-links $(WHEELS) -e '.[local]'

# The tests also exercise the local GGUF backend.
# The accessibility test runs axe-core (from the npm registry) in the browser.
AXE_VERSION := 4.11.0
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js

$(TEST_STAMP): $(STAMP)
	$(MAKE) --no-print-directory local
	$(BIN)/python -m pip install --quiet --find-links $(WHEELS) -e '.[dev,local]'
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory chromium
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@$(AXE_VERSION)
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

# Every benchmark in bench/, each printing its figures and its goals (20-25 minutes on 2
# cores; nothing fails on a slow machine). Larger runs: SEARCH_SIZES=10000,100000,1000000
# (the search goals are at 1M vectors), SCALE_DOCS, or each script's own flags. The
# question, claim and conversation sets run on the bundled report, ingested offline into
# $(BENCH_DATA); the shared sets of $(EVAL) are added where that folder exists, and its
# NorQuAD articles corpus only with ARTICLES=1 (embedding its 1.2 MB with the default
# embedder: an estimated 40 minutes more on 2 cores, not measured).
EVAL ?= ../shared/eval
BENCH_DATA ?= build/bench-data
ARTICLES ?=
SCALE_DOCS ?= 10000
# This checkout's kilde, the code the bench scripts import, whichever the venv installed.
BENCH_KILDE := $(BIN)/python -m ui.cli
SEARCH_SIZES ?= 10000,100000
REPORT_QUESTIONS := tests/data/report-questions.jsonl tests/data/norquad-unanswerable.jsonl \
	$(wildcard $(EVAL)/dev.jsonl $(EVAL)/offtopic-dev.jsonl)
REPORT_CLAIMS := tests/data/report-claims.jsonl tests/data/report-claims-holdout.jsonl
NORQUAD := $(wildcard $(EVAL)/norquad-dev/questions.jsonl)
ifneq ($(ARTICLES),)
ifneq ($(NORQUAD),)
ARTICLE_DATA := $(BENCH_DATA)/articles
ARTICLE_QUESTIONS := --articles $(ARTICLE_DATA) --articles-sets $(NORQUAD) \
	tests/data/norquad-unanswerable.jsonl $(wildcard $(EVAL)/offtopic-dev.jsonl) \
	tests/data/report-questions.jsonl
ARTICLE_CLAIMS := --articles $(ARTICLE_DATA) --articles-sets tests/data/norquad-claims.jsonl
endif
endif
SKIPPED_ARTICLES := articles corpus skipped (make bench ARTICLES=1 adds it)
NO_EVAL := $(EVAL)/norquad-dev not found: its sets and articles corpus skipped
ARTICLE_NOTE := $(if $(NORQUAD),$(if $(ARTICLE_DATA),ingesting the articles corpus,$(SKIPPED_ARTICLES)),$(NO_EVAL))

bench: install local
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@echo "== bench/ingest.py" && $(BIN)/python bench/ingest.py
	@echo "== bench/scale.py" && $(BIN)/python bench/scale.py --docs $(SCALE_DOCS)
	@echo "== bench/search.py" && $(BIN)/python bench/search.py --sizes $(SEARCH_SIZES)
	@echo "== bench/summary.py" && $(BIN)/python bench/summary.py
	@echo "== bench/page_image.py" && $(BIN)/python bench/page_image.py
	@echo "== bench/answer.py" && $(BIN)/python bench/answer.py
	rm -rf $(BENCH_DATA)
	$(BENCH_KILDE) --data-dir $(BENCH_DATA)/report ingest --offline >/dev/null
	@echo "bench: $(ARTICLE_NOTE)"
	$(if $(ARTICLE_DATA),$(BENCH_KILDE) --data-dir $(ARTICLE_DATA) ingest --offline \
		$(EVAL)/norquad-dev/docs >/dev/null)
	@echo "== bench/conversations.py" && \
		$(BIN)/python bench/conversations.py --data $(BENCH_DATA)/report
	@echo "== bench/abstention.py" && $(BIN)/python bench/abstention.py \
		--report $(BENCH_DATA)/report --report-sets $(REPORT_QUESTIONS) $(ARTICLE_QUESTIONS)
	@echo "== bench/claims.py" && $(BIN)/python bench/claims.py \
		--report $(BENCH_DATA)/report --report-sets $(REPORT_CLAIMS) $(ARTICLE_CLAIMS)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
