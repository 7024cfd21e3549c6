# Vestnik — everyday commands. `make` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
# Test processes (pytest-xdist, one file per worker at a time); 0 runs the suite in one process.
PYTEST_WORKERS ?= 2
PYTEST_XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)
export DJANGO_SETTINGS_MODULE ?= vestnik.settings.dev

.DEFAULT_GOAL := help
.PHONY: help setup demo serve seed test test-browser test-prod lint format check messages bench clean
.PHONY: prod-local prod-stop backup restore

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Vestnik needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c requirements.lock -e ".[test,demo]"
	@touch $@

setup: $(VENV)/.installed ## install, migrate the SQLite database under var/, collect static files
	@mkdir -p var
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) setup_newsroom --hostname $(HOST) --port $(PORT)
	$(MANAGE) collectstatic --noinput -v0

seed: setup ## load the demo content and accounts (idempotent)
	$(MANAGE) seed_demo

demo: seed ## set everything up and serve the demo on http://$(HOST):$(PORT)/ (granian + scheduler)
	@echo "Вестник: http://$(HOST):$(PORT)/  ·  редакция: http://$(HOST):$(PORT)/admin/  (Ctrl+C — остановить)"
	@DJANGO_DEBUG=false scripts/serve $(HOST) $(PORT) $(WORKERS)

serve: ## serve without setting up (granian + scheduler)
	@DJANGO_DEBUG=false scripts/serve $(HOST) $(PORT) $(WORKERS)

test: $(VENV)/.installed ## the whole suite, browser tests included (embedded default: SQLite, local memory)
	@scripts/ensure-apt chromium chromium
	@scripts/ensure-apt nginx nginx-light
	DJANGO_SETTINGS_MODULE=vestnik.settings.test $(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-prod: $(VENV)/.installed ## the whole suite against PostgreSQL and Redis on 127.0.0.1
	@scripts/ensure-apt chromium chromium
	@scripts/ensure-apt nginx nginx-light
	DJANGO_SETTINGS_MODULE=vestnik.settings.test \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vestnik} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
	$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

check: $(VENV)/.installed ## Django checks, missing migrations, ruff, import contracts
	DJANGO_SETTINGS_MODULE=vestnik.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=vestnik.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the arrows between apps ([tool.importlinter] in pyproject.toml)

lint: check ## same as check

format: $(VENV)/.installed ## ruff fix + format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed ## refresh and compile the Russian translations
	cd vestnik && ../$(PY) ../manage.py makemessages -l ru --ignore "settings/*" && ../$(PY) ../manage.py compilemessages -l ru

bench: $(VENV)/.installed ## measure the site (see bench/README.md)
	@scripts/ensure-apt wrk wrk
	@scripts/ensure-apt nginx nginx-light
	$(PY) bench/run.py $(BENCH)

clean: ## remove the virtualenv and var/ (database, media)
	rm -rf $(VENV) var

# --- production stack on one machine (deploy/, see docs/operations.md) ------------------------
prod-local: $(VENV)/.installed ## PostgreSQL, Redis, granian, scheduler, nginx on http://$(HOST):$${PORT:-8080}/
	@PORT=$(if $(filter command line environment,$(origin PORT)),$(PORT),8080) deploy/prod-local.sh

prod-stop: ## stop what prod-local started
	@deploy/prod-stop.sh

backup: $(VENV)/.installed ## back up the database and media into var/backups/<time> (TO= another folder)
	$(MANAGE) backup $(if $(TO),--to $(TO))

restore: $(VENV)/.installed ## restore the database and media: make restore FROM=var/backups/<time>
	@test -n "$(FROM)" || { echo "Укажите папку с копией: make restore FROM=var/backups/…"; exit 2; }
	$(MANAGE) restore --from $(FROM)
