# fazhi — two commands: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8000
STAMP   := $(VENV)/.installed
# `make run` and `make test` are development: no SECRET_KEY needed (production
# refuses to start without one). An explicit FAZHI_ENV in the environment wins.
export FAZHI_ENV ?= development

.PHONY: run test lint install demo clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var/staticfiles
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver_with_jobs $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m fazhi.dbprep
	$(BIN)/python -m pytest --reuse-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var/*.sqlite3
