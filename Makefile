# Two commands matter: `make run` (portal + worker with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKER := $(VENV)/bin/celery -A kla_portal worker -Q default,berat --concurrency 2 -l info

.PHONY: run test lint format bench install system-deps messages clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 atau lebih baru dibutuhkan") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

install: $(VENV)/.installed

# Debian packages the tests use: Chromium for browser tests, gettext for translations.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Memasang paket sistem:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The portal with demo data on the embedded default: SQLite, a folder broker, a real worker.
run: install
	@set -e; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py muat_demo; \
	trap 'kill 0' INT TERM EXIT; \
	$(WORKER) -B >var/worker.log 2>&1 & \
	echo "Worker berjalan (log: var/worker.log). Portal: http://$(HOST):$(PORT)/"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/test artifacts .pytest_cache
