# Two commands: `make run` serves the app on SQLite with the starter commons; `make test` runs
# the whole suite (on PostgreSQL too when TEST_DATABASE_URL is set).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lbs
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint audit check install install-dev db clean bench translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

db: install
	LBS_CONFIG=development $(FLASK) db upgrade
	LBS_CONFIG=development $(FLASK) lbs load-starter --if-empty

run: db
	LBS_CONFIG=development $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r lbs config.py
	@echo "== tests on SQLite =="
	env -u DATABASE_URL TEST_DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
		echo "== tests on PostgreSQL =="; \
		env -u DATABASE_URL TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -q -p no:cacheprovider; \
	else \
		echo "== PostgreSQL not tested: set TEST_DATABASE_URL to run the suite there too =="; \
	fi

# Not part of `make test`: minutes of filling and load on 127.0.0.1 (see its docstring).
bench: install-dev
	$(BIN)/python tests/perf/bench.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r lbs config.py

# Known vulnerabilities in the installed dependencies. Needs the vulnerability service of the
# package index; where it cannot be reached, pip-audit says which packages it could not audit.
audit: install-dev
	$(BIN)/pip-audit --progress-spinner off

check: lint audit test

# Not part of `make test`. After changing a string people read: extract every marked string,
# merge them into the French and Spanish catalogs (new or changed ones come out empty or fuzzy:
# translate them), and compile the .mo files, which are committed and shipped. Babel skips
# directories whose names start with "_" unless told otherwise, and templates/_macros is one.
translations: install
	$(BIN)/pybabel extract -F lbs/translations/babel.cfg -k _l -k lazy_gettext \
		--ignore-dirs='.* __pycache__' --project=lbs \
		--copyright-holder='Learning by Sharing contributors' -o lbs/translations/messages.pot .
	$(BIN)/pybabel update -i lbs/translations/messages.pot -d lbs/translations --ignore-obsolete
	$(BIN)/pybabel compile -d lbs/translations --statistics

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache
