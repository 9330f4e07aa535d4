# Two commands: `make run` starts the whole product; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench clean contract

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lifecycle migrate
	$(BIN)/lifecycle seed --if-empty
	$(BIN)/lifecycle serve

lint: $(STAMP)
	$(BIN)/ruff check lifecycle projections schema tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider

contract: $(STAMP)
	$(BIN)/python -m schema.contract

bench: $(STAMP)
	$(BIN)/python -m bench.commands
	$(BIN)/python -m bench.projections
	$(BIN)/python -m bench.api
	$(BIN)/python -m bench.api_cpu
	$(BIN)/python -m bench.documents

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
