# Two commands: `make run` (site on http://127.0.0.1:8000 with the archive loaded)
# and `make test` (the whole suite). Everything else here serves those two.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# make run serves the production settings over plain HTTP on loopback.
RUN_ENV := DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0
# gunicorn reads the rest of its settings from gunicorn.conf.py.
GUNICORN := $(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)

# The secret key: DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE from the environment,
# else one generated once into .secret_key (git-ignored, mode 0600) and passed as
# DJANGO_SECRET_KEY_FILE to every target that loads the settings.
ifeq ($(DJANGO_SECRET_KEY)$(DJANGO_SECRET_KEY_FILE),)
KEY_FILE := .secret_key
run dev serve db static bench messages: export DJANGO_SECRET_KEY_FILE := $(CURDIR)/$(KEY_FILE)
endif

.PHONY: run dev serve test setup db static lint format messages bench clean

# Production settings through gunicorn (config.wsgi), as an operator runs them.
run: setup db static
	$(MAKE) --no-print-directory serve

serve: $(KEY_FILE)
	$(RUN_ENV) $(GUNICORN)

# Development: runserver with auto-reload and Django's error pages.
dev: setup db
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

$(KEY_FILE): | $(PY)
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp \
	  && mv $@.tmp $@ && echo "Generated a secret key into $@ (keep it; never commit it)"

test: setup node_modules/.installed
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "!!! /usr/bin/chromium not found: browser tests will be SKIPPED (apt-get install chromium) !!!"; fi
	@command -v java >/dev/null 2>&1 || \
	  echo "!!! java not found: HTML validation (vnu) tests will be SKIPPED (apt-get install default-jre-headless) !!!"
	$(PY) -m pytest $(PYTEST_ARGS)

# Find a Python >= 3.12 by running each candidate (pyenv shims may exist but fail).
$(PY):
	@py=""; \
	pyenv_root=$$(pyenv root 2>/dev/null || true); \
	for c in $${PYTHON:-} python3.14 python3.13 python3.12 python3 \
	         $$(ls -d $$pyenv_root/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if "$$c" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    py=$$c; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "error: no Python >= 3.12 with venv found (tried python3.14, python3.13, python3.12, python3, pyenv versions). Install one, or set PYTHON=/path/to/python3.12." >&2; \
	  exit 1; fi; \
	echo "Using $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Test-only tools from npm (the Nu HTML Checker's vnu.jar). Scripts are skipped:
# vnu-jar's would fetch a Java runtime, and the system's Java is used instead.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "!!! npm not found: HTML validation (vnu) tests will be SKIPPED !!!"; fi

setup: $(VENV)/.installed

db: setup $(KEY_FILE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata archive
	$(PY) manage.py createinitialrevisions archive -v0 --comment="Initial version (loaded from the fixture)"

static: setup $(KEY_FILE)
	$(PY) manage.py collectstatic --noinput -v0

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djhtml templates

# Developers only (needs GNU gettext); the compiled .mo files are committed so that
# set-up and run time need no gettext.
messages: setup $(KEY_FILE)
	$(PY) manage.py makemessages -l ja -l zh_Hans --ignore=.venv --ignore=staticfiles \
	  --ignore=node_modules --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

# Every page type at seed size and at 10,000 articles (bench/README.md); BENCH_ARGS
# passes options, e.g. BENCH_ARGS="--sizes seed --repeat 5". Then upload memory, and
# throughput through gunicorn under wrk with and without the page cache.
bench: setup $(KEY_FILE)
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/uploads.py
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache
