# Two commands on a fresh machine: `make demo` and `make test`.
# Both build .venv/ themselves (uv when present, else python3 -m venv + pip).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null)
SQM_DATA_DIR ?= ./var
DEMO_ARGS ?=

.PHONY: demo test env lint typecheck messages docs clean

$(BIN)/python:
ifneq ($(UV),)
	uv venv --quiet --python $(PYTHON) $(VENV)
else
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
endif

# One stamp per set of extras: the demo needs no test tools, Spark or browsers.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
ifneq ($(UV),)
	uv pip install --quiet --python $(BIN)/python -e .
else
	$(BIN)/python -m pip install --quiet -e .
endif
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
ifneq ($(UV),)
	uv pip install --quiet --python $(BIN)/python -e '.[test]'
else
	$(BIN)/python -m pip install --quiet -e '.[test]'
endif
	touch $@ $(VENV)/.installed-app

env: $(VENV)/.installed-test

demo: $(VENV)/.installed-app
	$(BIN)/sqm demo --data-dir $(SQM_DATA_DIR) $(DEMO_ARGS)

# The suite runs on SQLite, then its database tests again on a throwaway PostgreSQL.
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	SQM_TEST_DB_ONLY=1 scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

docs: $(VENV)/.installed-app
	$(BIN)/sqm indicators --docs

messages: $(VENV)/.installed-test
	cd src/sqm && SQM_DEBUG=1 ../../$(BIN)/django-admin makemessages -l en -l zh_Hans --no-obsolete --settings=sqm.config.settings
	cd src/sqm && SQM_DEBUG=1 ../../$(BIN)/django-admin compilemessages --settings=sqm.config.settings

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
