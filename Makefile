# Two commands matter: `make run` (portal + worker with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench install runtime-deps system-deps messages clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 atau lebih baru dibutuhkan") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

install: $(VENV)/.installed

# Debian packages, installed when missing (as root, or with sudo). The portal needs Pango and
# HarfBuzz (WeasyPrint draws the PDF bundle with them) and DejaVu fonts (charts); the tests also
# need Chromium (browser tests), gettext (translations) and poppler-utils (PDF pages to PNG).
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := chromium gettext poppler-utils

define apt_pasang
	@missing=""; \
	for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Memasang paket sistem:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

runtime-deps:
	$(call apt_pasang,$(RUNTIME_DEBS))

system-deps: runtime-deps
	$(call apt_pasang,$(TEST_DEBS))

# The portal with demo data on the embedded default: SQLite, a folder broker, a real worker.
# It runs as in production (DEBUG off, Indonesian error pages) but over plain http; the secret
# key is made once and kept in var/. Ctrl-C stops the web server and the worker together.
run: install runtime-deps
	@mkdir -p var
	@[ -s var/secret-key ] || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret-key
	@set -e; export DEBUG=false SECURE_COOKIES=false SECRET_KEY="$$(cat var/secret-key)" \
	  KLA_URL="$${KLA_URL:-http://$(HOST):$(PORT)}"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py collectstatic --noinput -v0; \
	$(PY) manage.py muat_demo; \
	echo "Menjalankan server web dan pekerja Celery; alamatnya muncul begitu server siap."; \
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" KLA_HOST=$(HOST) KLA_PORT=$(PORT) \
	  $(VENV)/bin/honcho -f Procfile.dev start

test: install system-deps
	$(VENV)/bin/pytest

# App modules, without tests, migrations and demo data: no function above radon rank C
# (complexity 20) and no module above 600 lines.
APP_PY := find . \( -path ./.venv -o -path ./var -o -path ./tests -o -path '*/migrations' \) -prune \
	-o -name '*.py' ! -name demo.py -print

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/xenon --max-absolute C --exclude '*/migrations/*' --ignore 'tests,.venv,var' .
	@$(APP_PY) | xargs wc -l | awk '$$2 != "total" && $$1 > 600 { print $$2 ": " $$1 " baris (batas 600)"; n++ } END { exit n > 0 }'

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install runtime-deps
	$(PY) bench/run.py

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/test artifacts .pytest_cache
