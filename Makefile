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
# $(PYTHON) is looked up without it (also in sub-makes): python3 must not be the venv's own.
HOST_PYTHON := $(or $(shell PATH='$(subst $(CURDIR)/$(BIN):,,$(PATH))' command -v $(PYTHON)),$(PYTHON))
export PATH := $(CURDIR)/$(BIN):$(PATH)

# `make lab PORT=8899 LAB_ARGS="--no-browser"`; Jupyter refuses to run as root without
# --allow-root, so it is added only when running as root.
PORT ?=
LAB_ARGS ?=
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: bench bench-deps help lab test test-unit test-notebooks test-assignments test-workflow \
	test-integrity mutation \
	assignments lectures release collect autograde feedback grades summary validate lint \
	coverage clean distclean

help: ## list the targets (default)
	@echo "usage: make <target>   (the first target run creates .venv, about a minute)"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
		| awk -F ':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

# --- the virtual environment ------------------------------------------------------------
# The stamp holds the folder the venv was made in (its scripts hold absolute paths). The venv
# is made anew (venv --clear) when it is missing or half made, when its Python is gone or
# older than 3.11 (a .venv from another tool), or when the folder was moved; otherwise it is
# only reinstalled when pyproject.toml changed.
VENV_STALE := $(shell $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& [ "$$(cat $(STAMP) 2>/dev/null)" = '$(CURDIR)' ] || echo yes)

.PHONY: setup FORCE
FORCE:
setup: $(STAMP) ## only create or update .venv (lab and test do it too)

$(STAMP): pyproject.toml $(if $(VENV_STALE),FORCE)
	@$(HOST_PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { echo "error: need Python 3.11 or later, but '$(PYTHON)' is $$($(HOST_PYTHON) --version 2>/dev/null || echo 'not found');" \
			"run make PYTHON=python3.11 ..." >&2; exit 1; }
	@echo "Installing the course into $(VENV) (about a minute, ~700 MB; needs PyPI)..."
	$(if $(VENV_STALE),$(HOST_PYTHON) -m venv --clear $(VENV))
	$(if $(VENV_STALE),$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip)
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@printf '%s\n' '$(CURDIR)' > $@

# --- using the course -------------------------------------------------------------------
# The server encrypts its messages to the kernels (CurveZMQ, which the kernelspec offers):
# without it, ipykernel logs a warning about plain local TCP at every kernel start.
# tests/test_browser.py starts the server with the same options (LAB_OPTIONS, checked
# against this recipe).
lab: $(STAMP) ## start JupyterLab at the repository root, with nbgrader's extensions
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(if $(PORT),--port=$(PORT)) \
		--MappingKernelManager.transport_encryption=auto $(ALLOW_ROOT) $(LAB_ARGS)

# --- checks -------------------------------------------------------------------------------
# Each step is its own target, run in order.
test: ## every check: ruff, unit tests + coverage, notebooks, autograder, grading cycle, browser, cheats (what CI runs)
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-notebooks
	@$(MAKE) --no-print-directory test-assignments
	@$(MAKE) --no-print-directory test-workflow
	@$(MAKE) --no-print-directory test-integrity

# MPLBACKEND=Agg for the unit tests only: in notebook tests it breaks plt.show() cells.
# pytest's exit code is not masked, so "no tests collected" (5) fails like a failed test.
# Extra pytest options for a local run: make test-unit PYTEST_ARGS="-x -k models".
PYTEST_ARGS ?=
UNIT_TESTS := MPLBACKEND=Agg $(PY) -m coverage run -m pytest --doctest-modules tests mlkit \
	--ignore=tests/test_assignments.py --ignore=tests/test_workflow.py \
	--ignore=tests/test_browser.py --ignore=tests/test_integrity.py \
	--ignore=tests/adversarial $(PYTEST_ARGS)

test-unit: $(STAMP) ## pytest on tests/ and mlkit's doctests, coverage of mlkit >= 95%
	$(UNIT_TESTS)
	$(PY) -m coverage report

# nbval compares every output of the committed lectures (PNG images excepted) after
# re-running them; the instructor notebooks must run clean (--nbval-lax).
NBVAL := $(PY) -m pytest -p no:cacheprovider --nbval-current-env
test-notebooks: $(STAMP) ## re-run the lectures and compare outputs; run the solutions
	$(NBVAL) --nbval --nbval-sanitize-with lectures/sanitize.cfg lectures $(PYTEST_ARGS)
	$(NBVAL) --nbval-lax solutions $(PYTEST_ARGS)

test-assignments: $(STAMP) ## real nbgrader: releases regenerate, solutions 100, blanks 0, wrong answers caught
	$(PY) -m pytest tests/test_assignments.py $(PYTEST_ARGS)

test-workflow: $(STAMP) ## nbgrader's whole cycle through a temporary exchange; JupyterLab in Chromium
	$(PY) -m pytest tests/test_workflow.py tests/test_browser.py $(PYTEST_ARGS)

test-integrity: $(STAMP) ## 45 dishonest or broken submissions per assignment, between honest and blank ones
	$(PY) -m pytest tests/test_integrity.py $(PYTEST_ARGS)

mutation: $(STAMP) ## mutation testing of the assignments' tests (>= 90% killed per exercise)
	$(PY) -m tools.mutation

# Benchmarks, not tests: nothing here is timed in `make test`. The comparisons need the
# `bench` extra (PyTorch for the CPU, scikit-learn), which `make test` never installs;
# without it they are skipped with a note. One part, or a smoke run:
# make bench BENCH_ARGS="--only mlp" (mlp, tiny, loops, notebooks, grading),
# BENCH_ARGS=--quick.
BENCH_ARGS ?=
bench: $(STAMP) ## benchmarks (not tests): mlkit vs NumPy, PyTorch, scikit-learn; notebooks; grading
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

bench-deps: $(STAMP) ## install what the benchmarks compare against: PyTorch (CPU) and scikit-learn
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[dev,bench]'

# --- instructor and maintainer commands ------------------------------------------------------
assignments: $(STAMP) ## regenerate the student versions in assignments/ from solutions/
	for dir in solutions/*/; do \
		$(BIN)/nbgrader generate_assignment "$$(basename "$$dir")" --force --no-db; done

lectures: $(STAMP) ## re-execute every lecture in place (commit the outputs)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--KernelManager.transport_encryption=auto --ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.store_widget_state=False lectures/[0-9][0-9]_*.ipynb

lint: $(STAMP) ## ruff check over the repository (Python files and notebooks)
	$(BIN)/ruff check .

coverage: $(STAMP) ## unit tests, then the lines they miss, also as HTML in htmlcov/
	$(UNIT_TESTS)
	$(PY) -m coverage html --fail-under=0
	$(PY) -m coverage report --fail-under=0
	@echo "HTML report: htmlcov/index.html"

# --- teaching: nbgrader's cycle (python -m tools.course and tools.student; see README) -----
# make release A=01_perceptron; make autograde A=01_perceptron STUDENT=alice; ...
A ?=
STUDENT ?=
NB ?=
FORCE ?=
DUE ?=
COURSE := $(PY) -m tools.course
need-A = $(if $(A),,$(error name the assignment: make $@ A=01_perceptron))

release: $(STAMP) ## regenerate and release: make release A=01_perceptron [DUE="2026-12-14 23:59"] [FORCE=1]
	$(need-A)$(COURSE) release $(A) $(if $(FORCE),--force) $(if $(DUE),--duedate "$(DUE)")

collect: $(STAMP) ## collect the submissions of A (the newest; with a due date, the newest by then)
	$(need-A)$(COURSE) collect $(A)

autograde: $(STAMP) ## check and autograde A, everyone or STUDENT=id
	$(need-A)$(COURSE) autograde $(A) $(if $(STUDENT),--student=$(STUDENT))

feedback: $(STAMP) ## generate and release the feedback for A (hidden tests not shown)
	$(need-A)$(COURSE) feedback $(A) $(if $(STUDENT),--student=$(STUDENT))

grades: $(STAMP) ## export every grade to reports/grades.csv
	$(COURSE) export

summary: $(STAMP) ## per exercise of A: mean, full marks, zeros (reports/A-summary.csv)
	$(need-A)$(COURSE) summary $(A)

validate: $(STAMP) ## run a notebook's tests; exit 1 naming failed exercises: make validate NB=path
	$(if $(NB),,$(error name the notebook: make validate NB=01_perceptron/01_perceptron.ipynb))$(PY) -m tools.student validate $(NB)

# --- cleaning -----------------------------------------------------------------------------
# Never removes student work or grades (submitted/, autograded/, feedback/, exchange/,
# gradebook.db, .ipynb_checkpoints/) nor the venv.
clean: ## remove caches and test output (keeps the venv and all grading data)
	rm -rf .pytest_cache .ruff_cache .hypothesis .coverage .coverage.* htmlcov build dist \
		*.egg-info .nbgrader.log benchmarks/results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean ## clean, and remove the venv
	rm -rf $(VENV)
