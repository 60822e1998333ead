# Kiezwerk: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := kiezwerk.settings
# Tests and benchmarks run with DEBUG off; they need a key (never used in production).
test test-fast test-browser bench: export SECRET_KEY ?= insecure-key-for-tests-only
# `make run` is development: DEBUG on (a throwaway key, the console for mail).
run messages: export DEBUG := 1
run: export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-fast test-browser bench lint format translations messages system-packages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

translations: $(VENV)/.installed
	@$(PY) manage.py compiletranslations

run: $(VENV)/.installed translations
	@mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	@echo ""
	@echo "  Kiezwerk runs on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@echo ""
	@exec $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# Debian's Chromium for the browser tests (Playwright's own download is not used); Pango and the Noto fonts
# (Arabic among them) for WeasyPrint's posters.
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-color-emoji gettext fontconfig libpango-1.0-0 libpangoft2-1.0-0
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v msgfmt >/dev/null \
	  || ! ldconfig -p | grep -q libpangoft2-1.0 || ! fc-list | grep -qi "Noto Sans Arabic"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "Tests need Debian packages: sudo apt-get install $(SYSTEM_PACKAGES)" >&2; \
	    exit 1; \
	  fi; \
	fi

test: $(VENV)/.installed system-packages translations
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py checktranslations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n 2

test-fast: $(VENV)/.installed translations
	$(VENV)/bin/pytest -n 2 -m "not browser"

test-browser: $(VENV)/.installed system-packages translations
	$(VENV)/bin/pytest -m browser

bench: $(VENV)/.installed translations
	$(PY) -m bench

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract new strings into the catalogues (then translate and commit them).
messages: $(VENV)/.installed
	cd kiezwerk && ../$(PY) ../manage.py makemessages -l de -l en -l tr -l ar -l ru -l uk -l pl --no-obsolete --add-location=file

clean:
	rm -rf $(VENV) var .pytest_cache
