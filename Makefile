# Baraza — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# A developer's machine: DEBUG on (demo data, a SECRET_KEY generated into var/) unless
# DEBUG is given (`make run DEBUG=0` serves without demo accounts, as production).
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py run_baraza

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

# mypy checks the files listed in pyproject.toml [tool.mypy] (core, services, selectors),
# incrementally: its cache is .mypy_cache/.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The settings load only with DEBUG on or a SECRET_KEY (compilemessages reads them).
messages: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py makemessages -l es -l fr --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	DEBUG=$${DEBUG:-1} $(PY) manage.py makemessages -d djangojs -l es -l fr --ignore=.venv --ignore=var
	DEBUG=$${DEBUG:-1} $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var
