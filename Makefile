# Journey: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi:app

.PHONY: run test lint bench install install-dev translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]' -e ./examples/journey-hello

run: install
	$(BIN)/flask db upgrade heads
	$(BIN)/flask journey demo
	JOURNEY_SCHEDULER_IN_PROCESS=true $(BIN)/flask run --host 127.0.0.1 --port 5000

# The agreed ruff rules and the import contracts of pyproject.toml (core.api is the plugins' only door).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	cd examples/journey-hello && $(abspath $(BIN))/python -m pytest tests $(PYTEST_ARGS)  # as its author runs it

bench: install-dev
	$(BIN)/python tests/bench/run.py $(BENCH_ARGS)

# Extract, update and compile the Dutch catalogue of core and of every built-in plugin.
translations: install-dev
	@for dir in core plugins/*/; do \
	  dir=$${dir%/}; [ -f $$dir/__init__.py ] || continue; \
	  mkdir -p $$dir/translations; \
	  $(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o $$dir/translations/messages.pot $$dir; \
	  if [ -f $$dir/translations/nl/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update -w 100 --ignore-obsolete -i $$dir/translations/messages.pot -d $$dir/translations -l nl --no-fuzzy-matching; \
	  else \
	    $(BIN)/pybabel -q init -i $$dir/translations/messages.pot -d $$dir/translations -l nl; \
	  fi; \
	  $(BIN)/pybabel -q compile -d $$dir/translations -l nl; \
	done

clean:
	rm -rf $(VENV) instance .pytest_cache
