# Two commands on a fresh machine: `make demo` and `make test`.
# Both build .venv/ themselves from the pinned versions in uv.lock (uv when present, else
# python3 -m venv + pip from requirements/*.txt, which `make lock` exports from the same lock).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null)
SQM_DATA_DIR ?= ./var
DEMO_ARGS ?=
# Optional dependency sets for `make test`/`make env`; CI adds spark (`make test EXTRAS="test spark"`).
EXTRAS ?= test
EXPORTED := test spark bench
empty :=
space := $(empty) $(empty)
STAMP := $(VENV)/.installed-$(subst $(space),+,$(strip $(EXTRAS)))

.PHONY: demo test env lint typecheck messages docs clean lock lock-upgrade requirements

$(BIN)/python:
ifneq ($(UV),)
	uv venv --quiet --python $(PYTHON) $(VENV)
else
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
endif

# Install the locked versions of the app plus the extras in $(1). --inexact keeps what else a
# developer installed (another extra); --locked refuses a lock that pyproject.toml has outgrown.
ifneq ($(UV),)
install = UV_PROJECT_ENVIRONMENT=$(VENV) uv sync --quiet --locked --inexact $(foreach e,$(1),--extra $(e))
else
install = $(BIN)/python -m pip install --quiet -r requirements/app.txt $(foreach e,$(1),-r requirements/$(e).txt) \
	&& $(BIN)/python -m pip install --quiet --no-deps -e .
endif

# One stamp per set of extras: the demo needs no test tools, Spark or browsers.
$(VENV)/.installed-app: uv.lock pyproject.toml | $(BIN)/python
	$(call install,)
	touch $@

$(STAMP): uv.lock pyproject.toml | $(BIN)/python
	$(call install,$(EXTRAS))
	touch $@ $(VENV)/.installed-app

env: $(STAMP)

demo: $(VENV)/.installed-app
	$(BIN)/sqm demo --data-dir $(SQM_DATA_DIR) $(DEMO_ARGS)

# The suite runs on SQLite, then its database tests again on a throwaway PostgreSQL.
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	SQM_DEBUG=1 $(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	SQM_TEST_DB_ONLY=1 scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	SQM_DEBUG=1 $(BIN)/mypy

docs: $(VENV)/.installed-app
	$(BIN)/sqm indicators --docs

messages: $(STAMP)
	cd src/sqm && SQM_DEBUG=1 ../../$(BIN)/django-admin makemessages -l en -l zh_Hans --no-obsolete --settings=sqm.config.settings
	cd src/sqm && SQM_DEBUG=1 ../../$(BIN)/django-admin compilemessages --settings=sqm.config.settings

# Pins: `make lock` after editing dependencies in pyproject.toml (moves only what it must);
# `make lock-upgrade` on the first working day of each month (newest allowed versions), then
# `make test` and commit uv.lock with requirements/. Both need uv (python3 -m pip install uv).
lock:
	uv lock
	$(MAKE) requirements

lock-upgrade:
	uv lock --upgrade
	$(MAKE) requirements

# The pip fallback's files, exported from uv.lock so that pip installs the same versions.
requirements: uv.lock
	uv export --quiet --frozen --no-hashes --no-emit-project -o requirements/app.txt
	for extra in $(EXPORTED); do \
		uv export --quiet --frozen --no-hashes --no-emit-project --extra $$extra -o requirements/$$extra.txt || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
