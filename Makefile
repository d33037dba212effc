# Kennisportaal Loopbaanbegeleiding — developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST_ARGS ?=
# PostgreSQL and Redis for `make test-services` (the services on the CI machine by default).
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/0
AUDIT_URL ?= http://$(HOST):$(PORT)

# The first of python3.13, python3.12, python3 that runs and is at least 3.12.
PYTHON := $(shell for p in python3.13 python3.12 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

.PHONY: python-check
python-check:
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (tried python3.13, python3.12, python3)."; \
		echo "Install Python 3.12+ (for example 'pyenv install 3.13' or your package manager's python3.13) and try again."; \
		exit 1; fi

$(BIN)/python: | python-check
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@touch $@

.PHONY: install
install: $(VENV)/.installed ## Create .venv and install the locked dependencies

.PHONY: setup
setup: install ## Migrate the local database, build the site tree, load content, create the local admin
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_site --local-admin --starter-content

.PHONY: run
run: setup ## Set up once, then serve on HOST:PORT (default 127.0.0.1:8000) with the scheduler next to it
	@# Scheduled publishing needs publish_scheduled every minute: a companion process runs it
	@# (Celery beat does in production) and stops with the server.
	@$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: install browser-tools ## Run the whole test suite on the embedded defaults (SQLite, eager Celery)
	$(BIN)/pytest -m "not browser and not faults" $(PYTEST_ARGS)
	@# Browser tests empty the database after each test, so they run in a session of their own.
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

.PHONY: test-services
test-services: install ## Run the suite against PostgreSQL and Redis, with a real Celery worker
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) REQUIRE_SERVICES=1 \
		$(BIN)/pytest -m "not browser and not faults" $(PYTEST_ARGS)

.PHONY: test-faults
test-faults: install ## Stop, hang and restart Redis, PostgreSQL and the worker under a production-like stack
	REQUIRE_FAULTS=1 $(BIN)/pytest -m faults tests/faults $(PYTEST_ARGS)

.PHONY: test-browser
test-browser: install browser-tools ## Run the browser tests in headless Chromium (needs /usr/bin/chromium)
	REQUIRE_BROWSER=1 $(BIN)/pytest -m browser $(PYTEST_ARGS)

.PHONY: lint
lint: install ## Ruff lint and format check, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

.PHONY: format
format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: messages
messages: install ## Update and compile the English translation catalogue
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tools
	$(PY) manage.py compilemessages -l en --ignore=.venv

.PHONY: lock
lock: install ## Re-resolve requirements/*.txt from pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url -o requirements/production.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --extra dev -o requirements/dev.txt pyproject.toml

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kp_bench

SEARCH_BENCH_RUNS ?= 20

.PHONY: bench-search
bench-search: install ## /zoeken/ on the search index against Wagtail's stock backend: 100,000 studies on PostgreSQL, 1,000 and 10,000 on SQLite, index rebuild time (report in docs/benchmarks/)
	@# PostgreSQL: the database BENCH_DATABASE_URL names (it may be another than kp_bench), created
	@# when missing; SQLite: files in bench/.data/. Each in a process of its own.
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/search_benchmark.py --studies 100000 \
		--sqlite-studies 1000 10000 --runs $(SEARCH_BENCH_RUNS) --report docs/benchmarks/search-100k.md

.PHONY: bench-pages
bench-pages: install ## Public pages at 100,000 studies under gunicorn: req/s against a static file, first visit after a change, warm-up (report in docs/benchmarks/)
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@# The script creates the database BENCH_DATABASE_URL names when it is missing.
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/pages_benchmark.py --studies 100000 --report docs/benchmarks/pages-100k.md

BACKUP_DIR ?= backups

.PHONY: backup
backup: install ## Back up the PostgreSQL database (pg_dump) and media with a manifest into BACKUP_DIR
	$(PY) manage.py backup --output $(BACKUP_DIR)

.PHONY: restore
restore: install ## Restore BACKUP=<folder> into an empty database and media folder (FORCE=1 replaces them)
	@if [ -z "$(BACKUP)" ]; then echo "Usage: make restore BACKUP=backups/kp-<date>-<time> [FORCE=1]"; exit 2; fi
	$(PY) manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

BENCH_LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kp_load

.PHONY: bench-load
bench-load: install ## Load test: 50 connections, 2 minutes, ten public pages via nginx + gunicorn (report in docs/benchmarks/)
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v nginx >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
		|| DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null 2>&1 \
		|| echo "nginx could not be installed: the load test measures gunicorn directly."; }
	-createdb -h 127.0.0.1 -U postgres kp_load 2>/dev/null
	DATABASE_URL=$(BENCH_LOAD_DATABASE_URL) $(PY) bench/load_benchmark.py --report docs/benchmarks/load.md

.PHONY: bench-admin
bench-admin: install ## Benchmark the admin's study and finding screens at 100,000 synthetic studies on PostgreSQL (report in docs/benchmarks/)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/admin_benchmark.py --studies 100000 --runs 20 --report docs/benchmarks/admin-100k.md

.PHONY: bench-import
bench-import: install ## Benchmark the bulk import of 500 and 5,000 references on PostgreSQL (report in docs/benchmarks/)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/import_benchmark.py --runs 3 --report docs/benchmarks/import.md

.PHONY: bench-relevance
bench-relevance: install ## Relevance test set on SQLite and PostgreSQL: recall@5, nDCG@10, same top 5 (report in docs/benchmarks/)
	@# PostgreSQL: the database the environment's BENCH_DATABASE_URL names, else kp_bench_relevance
	@# (not kp_bench: its synthetic studies would crowd the starter content); created when missing.
	$(PY) bench/relevance_benchmark.py --report docs/benchmarks/relevance.md

.PHONY: browser-tools
browser-tools: tools/audit/node_modules/.installed ## Install the pinned HTML checker, axe-core and Lighthouse (npm)

tools/audit/node_modules/.installed: tools/audit/package.json tools/audit/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tools/audit && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "npm not found: the HTML checks in the browser tests will be skipped (install Node.js and npm)."; \
	fi

.PHONY: audit
audit: install browser-tools ## Lighthouse, Nu HTML checker and axe over a running instance (AUDIT_URL)
	$(PY) tools/audit/audit.py --base-url $(AUDIT_URL) --urls tools/audit/urls.txt --out reports/audit

.PHONY: clean
clean: ## Remove the virtualenv, local database, media and reports
	rm -rf $(VENV) db.sqlite3 media reports .test-media tools/audit/node_modules
