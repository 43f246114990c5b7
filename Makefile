# Course tooling. Needs GNU make, bash and Python 3.11 (python3); everything else is
# installed into .venv on first use. `make` alone lists the targets.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --warn-undefined-variables
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

# nbgrader runs the `alembic` executable when it creates a gradebook: put the venv first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

# `make lab PORT=8899 LAB_ARGS="--no-browser"`; Jupyter refuses to run as root without
# --allow-root, so it is added only when running as root.
PORT ?=
LAB_ARGS ?=
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help lab test test-unit lint coverage clean distclean

help: ## list the targets (default)
	@echo "usage: make <target>   (the first target run creates .venv, about a minute)"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
		| awk -F ':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

# --- the virtual environment ------------------------------------------------------------
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: $(PYTHON) is older than Python 3.11; run make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

# Reinstall only when pyproject.toml changed (or the venv was created).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@touch $@

# --- using the course -------------------------------------------------------------------
lab: $(STAMP) ## start JupyterLab at the repository root, with nbgrader's extensions
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(if $(PORT),--port=$(PORT)) \
		$(ALLOW_ROOT) $(LAB_ARGS)

# --- checks -------------------------------------------------------------------------------
# Each step is its own target, run in order; test-notebooks and test-assignments go here.
test: ## run every check: ruff, then the unit tests with coverage (what CI runs)
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-unit

# MPLBACKEND=Agg for the unit tests only: in notebook tests it breaks plt.show() cells.
# pytest's exit code is not masked, so "no tests collected" (5) fails like a failed test.
# Extra pytest options for a local run: make test-unit PYTEST_ARGS="-x -k models".
PYTEST_ARGS ?=
UNIT_TESTS := MPLBACKEND=Agg $(PY) -m coverage run -m pytest --doctest-modules tests mlkit \
	$(PYTEST_ARGS)

test-unit: $(STAMP) ## pytest on tests/ and mlkit's doctests, coverage of mlkit >= 95%
	$(UNIT_TESTS)
	$(PY) -m coverage report

lint: $(STAMP) ## ruff check over the repository (Python files and notebooks)
	$(BIN)/ruff check .

coverage: $(STAMP) ## unit tests, then the lines they miss, also as HTML in htmlcov/
	$(UNIT_TESTS)
	$(PY) -m coverage html --fail-under=0
	$(PY) -m coverage report --fail-under=0
	@echo "HTML report: htmlcov/index.html"

# --- cleaning -----------------------------------------------------------------------------
# Never removes student work or grades (submitted/, autograded/, feedback/, exchange/,
# gradebook.db, .ipynb_checkpoints/) nor the venv.
clean: ## remove caches and test output (keeps the venv and all grading data)
	rm -rf .pytest_cache .ruff_cache .hypothesis .coverage .coverage.* htmlcov build dist \
		*.egg-info .nbgrader.log benchmarks/results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean ## clean, and remove the venv
	rm -rf $(VENV)
