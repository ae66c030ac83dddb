# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# `make run` installs what running needs; `make test` adds the test tools and Chromium.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run test lint bench clean

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	$(BIN)/pybabel -q compile -d server/translations  # the catalogue's .mo files (not tracked)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

run: install
	$(BIN)/scorecard init
	$(BIN)/scorecard serve --bind $(HOST):$(PORT)

test: install-dev
	scripts/install-chromium
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check server admin tests bench scripts
	$(BIN)/ruff format --check server admin tests bench scripts

bench: install-dev
	$(BIN)/pip install -q -e '.[dev,bench]'
	@command -v wrk >/dev/null || echo "wrk is missing (apt-get install -y wrk): the HTTP part will not run"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache
