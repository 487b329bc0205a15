# innocase: two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_URL ?= postgres://postgres@$(PG_HOST):$(PG_PORT)/innocase_ci_$(shell echo $$PPID)
DEMO_PASSWORD ?= innocase-demo

.PHONY: demo demo-setup demo-check test test-sqlite test-postgres bench lock messages system-deps postgres redis clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.base: requirements/base.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements/dev.txt
	touch $@ $(VENV)/.base

# Development and tests run with DEBUG on, said here out loud: the settings default to production (DEBUG off).
demo demo-setup demo-check test test-sqlite test-postgres bench messages: export DEBUG = true

# The demo needs only Python and the packages of requirements/base.txt: no ffmpeg, Chromium or CJK fonts.
demo-setup: $(VENV)/.base
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --password $(DEMO_PASSWORD)

# The web server and, beside it, the worker that runs background tasks (case collections, story books, the monthly
# reports' daily run, queued here once); both stop together.
demo: demo-setup
	@echo "innocase demo: http://127.0.0.1:8000  (password for every login above: $(DEMO_PASSWORD))"
	$(PY) manage.py monthly_reports --schedule
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# CI: the demo's set-up on a throw-away SQLite file with ffmpeg, ffprobe and chromium hidden from PATH, then
# the log-in page and each demo role's home page over HTTP.
demo-check: $(VENV)/.base
	bash scripts/demo-check.sh

system-deps:
	bash scripts/system-deps.sh

postgres:
	bash scripts/postgres-up.sh $(PG_HOST) $(PG_PORT)

redis:
	bash scripts/redis-up.sh 127.0.0.1 6379

# The whole suite on SQLite, then again on PostgreSQL (a throw-away database), browser tests included.
test: $(VENV)/.dev system-deps postgres redis
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -n 2
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -n 2 --create-db

test-sqlite: $(VENV)/.dev redis
	$(PY) -m pytest -q -n 2

test-postgres: $(VENV)/.dev postgres redis
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -n 2 --create-db

bench: $(VENV)/.dev postgres redis
	$(PY) bench/run.py

# Re-pin dependencies after editing requirements/*.in.
lock: | $(VENV)/bin/python
	$(VENV)/bin/pip install -q pip-tools
	cd requirements && ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links base.in -o base.txt
	cd requirements && ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links dev.in -o dev.txt

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*'
	msgattrib --no-obsolete -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l en --ignore '.venv/*'

clean:
	rm -rf $(VENV) var
