# Two commands: `make run` starts the whole product; `make test` runs every check.
# `make run` installs only the service's packages (requirements.lock); `make test` adds the
# development tools (requirements-dev.lock). Each install leaves a stamp, so neither reinstalls
# what the other installed until a lock or pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICE := $(VENV)/.service
# The development stamp keeps its old name: `make .venv/.installed` sets up a working tree.
STAMP := $(VENV)/.installed

.PHONY: deadcode run test lint typecheck unit bench clean contract

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locks pin every package (tests/integration/test_locks.py checks that they are complete),
# so pip need not resolve anything; modules are compiled when first imported, not all up front.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --no-deps --no-compile

$(SERVICE): requirements.lock pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r requirements.lock -e .
	touch $@

$(STAMP): requirements-dev.lock $(SERVICE)
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@

# Migrate, seed an empty database, print the organisations and a ready-to-paste development
# token (on every start: the seed step prints them even when it seeds nothing), then serve.
run: $(SERVICE)
	$(BIN)/lifecycle migrate
	$(BIN)/lifecycle seed --if-empty
	$(BIN)/lifecycle serve

lint: $(STAMP)
	$(BIN)/ruff check lifecycle projections schema tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Code nothing uses (60% confidence and up); what frameworks call by name (resolvers, enum
# members, upcasters, hooks) is listed in tests/vulture_whitelist.py.
deadcode: $(STAMP)
	$(BIN)/vulture lifecycle projections schema bench tests/vulture_whitelist.py --min-confidence 60

test: lint typecheck deadcode
	$(BIN)/python -m pytest -q -p no:cacheprovider

contract: $(SERVICE)
	$(BIN)/python -m schema.contract

bench: $(STAMP)
	$(BIN)/python -m bench.commands
	$(BIN)/python -m bench.projections
	$(BIN)/python -m bench.api
	$(BIN)/python -m bench.api_cpu
	$(BIN)/python -m bench.documents
	$(BIN)/python -m bench.audit

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
