# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

run: install
	$(BIN)/scorecard init
	$(BIN)/scorecard serve --bind $(HOST):$(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check server admin tests bench
	$(BIN)/ruff format --check server admin tests bench

bench: install
	$(BIN)/pip install -q -e '.[dev,bench]'
	@command -v wrk >/dev/null || echo "wrk is missing (apt-get install -y wrk): the HTTP part will not run"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache
