# KEOB: setup, run, test. GNU make; recipes run in bash with -euo pipefail.
#
#   make run          serve the app on http://127.0.0.1:$(PORT) (installs and seeds on first run)
#   make run-postgres the same on a local PostgreSQL+PostGIS server (data kept in var/postgres)
#   make test         whole suite: unit + PostgreSQL + browser tests, ruff, import contracts
#   make test-fast    unit tests only (no PostgreSQL, no browser)
#   make lint         ruff check, ruff format --check, import contracts
#   make bench        benchmarks
#   make screenshots  every page in headless Chromium into docs/screenshots (app running)
#   make setup        uv + Python dependencies (uv sync --frozen)
#   make setup-system apt packages for PostgreSQL/PostGIS, Chromium and poppler-utils (only the missing ones)
#   make clean-db     delete the local SQLite store (var/keob.sqlite*)

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PORT ?= 8050
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-x -k store"
PYTEST_ARGS ?=
# DATABASE_URL (e.g. postgresql+psycopg://...) selects the store; unset means the SQLite
# file var/keob.sqlite. Pass it through when given on the make command line too.
ifdef DATABASE_URL
export DATABASE_URL
endif

# uv from PATH, else the copy pip installed as a module (resolved when a recipe runs).
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
UVRUN = $(UV) run --frozen

# Every test, whatever its markers (pyproject's addopts deselects postgres and browser).
ALL_TESTS := postgres or browser or not (postgres or browser)

APT_BROWSER := chromium fonts-liberation poppler-utils
APT_POSTGRES := postgresql postgresql-15-postgis-3
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_GET = $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: help setup setup-system run run-postgres stop-postgres test test-fast lint bench screenshots clean-db

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

setup:
	@if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then \
	  echo "installing uv (python3 -m pip install uv)"; \
	  python3 -m pip install -q uv \
	    || python3 -m pip install -q --user --break-system-packages uv; \
	fi
	@$(UV) sync --frozen --python python3

setup-system:
	@missing_browser=""; missing_pg=""; \
	for p in $(APT_BROWSER); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' \
	    || missing_browser="$$missing_browser $$p"; \
	done; \
	for p in $(APT_POSTGRES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' \
	    || missing_pg="$$missing_pg $$p"; \
	done; \
	if [ -z "$$missing_browser$$missing_pg" ]; then exit 0; fi; \
	echo "installing apt packages:$$missing_browser$$missing_pg"; \
	$(APT_GET) update -q; \
	if [ -n "$$missing_browser" ]; then \
	  $(APT_GET) install -y -q $$missing_browser; \
	fi; \
	if [ -n "$$missing_pg" ]; then \
	  $(APT_GET) install -y -q --no-install-recommends $$missing_pg; \
	fi

run: setup
	@mkdir -p var
	$(UVRUN) keob db upgrade
	$(UVRUN) keob seed --if-empty
	$(UVRUN) keob publish --if-needed
	exec $(UVRUN) gunicorn -w 2 -k gthread --threads 4 -b 127.0.0.1:$(PORT) \
	  --no-control-socket --timeout 120 app:server

# The production store: a local PostgreSQL+PostGIS server (scripts/pg-local.sh), migrated
# and seeded with the shipped data on first run. `make stop-postgres` stops the server.
run-postgres: setup setup-system
	@url=$$(scripts/pg-local.sh start); \
	export DATABASE_URL="$$url"; \
	echo "store: $$url"; \
	$(UVRUN) keob db upgrade; \
	$(UVRUN) keob seed --if-empty; \
	$(UVRUN) keob publish --if-needed; \
	exec $(UVRUN) gunicorn -w 2 -k gthread --threads 4 -b 127.0.0.1:$(PORT) \
	  --no-control-socket --timeout 120 app:server

stop-postgres:
	@scripts/pg-local.sh stop

# One pytest run over every marker, against a throwaway PostgreSQL+PostGIS cluster that is
# removed on exit. With CI=true a missing PostgreSQL or Chromium fails the run; without it
# those tests skip with the reason. ruff and the import contracts run even when tests fail.
test: setup setup-system
	@trap 'scripts/pg-test-cluster.sh stop' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	if pg_env=$$(scripts/pg-test-cluster.sh start); then \
	  eval "$$pg_env"; \
	elif [ "$${CI:-}" = true ]; then \
	  echo "error: the PostgreSQL test cluster did not start" >&2; exit 1; \
	else \
	  echo "warning: no PostgreSQL test cluster; the postgres tests will skip" >&2; \
	fi; \
	status=0; \
	$(UVRUN) pytest -m "$(ALL_TESTS)" $(PYTEST_ARGS) || status=$$?; \
	echo "--- ruff check"; $(UVRUN) ruff check . || status=1; \
	echo "--- lint-imports"; $(UVRUN) lint-imports || status=1; \
	exit $$status

test-fast: setup
	@$(UVRUN) pytest $(PYTEST_ARGS)

lint: setup
	@status=0; \
	$(UVRUN) ruff check . || status=1; \
	$(UVRUN) ruff format --check . || status=1; \
	$(UVRUN) lint-imports || status=1; \
	exit $$status

bench: setup
	$(UVRUN) python -m benchmarks

# Against a running app (make run in another shell); BASE_URL overrides the address.
screenshots: setup
	$(UVRUN) python -m scripts.screenshots $${BASE_URL:-http://127.0.0.1:$(PORT)} docs/screenshots

clean-db:
	rm -f var/keob.sqlite var/keob.sqlite-*
