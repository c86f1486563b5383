# Two commands on a fresh machine: `make demo` and `make test`.
# Both build .venv/ themselves (uv when present, else python3 -m venv + pip).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(shell command -v uv 2>/dev/null)
SQM_DATA_DIR ?= ./var

.PHONY: demo test env lint typecheck bench clean messages docs

$(STAMP): pyproject.toml
ifneq ($(UV),)
	uv venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	uv pip install --quiet --python $(BIN)/python -e '.[test]'
else
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
endif
	touch $(STAMP)

env: $(STAMP)

demo: $(STAMP)
	$(BIN)/sqm demo --data-dir $(SQM_DATA_DIR)

# The suite runs on SQLite, then its database tests again on a throwaway PostgreSQL.
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	SQM_TEST_DB_ONLY=1 scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

messages: $(STAMP)
	cd src/sqm && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --settings=sqm.config.settings
	cd src/sqm && ../../$(BIN)/django-admin compilemessages --settings=sqm.config.settings

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
