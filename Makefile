# Two commands do all the set-up on a fresh machine (Python 3.10+ and make):
#   make demo   regenerate everything from specs/ and show the result
#   make test   run the whole test suite
# Each creates its own virtual environment in .venv/ and relies on nothing installed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SPEC   := specs/ec2/flow-logs.json
# Every install takes its versions from the lock, constraints.txt (every package, botocore and
# boto3 included; tools/lock.py says how it is made), and is then checked against it.
# PIP_CONSTRAINT also reaches pip's isolated build of this package (its setuptools).
LOCK    := constraints.txt
INSTALL  = PIP_CONSTRAINT=$(CURDIR)/$(LOCK) $(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK)
# botocore releases are cached where the apigen command caches them: $APIGEN_CACHE_DIR, else
# $XDG_CACHE_HOME/apigen, else ~/.cache/apigen (one cache for the tests, the demo and you).

.PHONY: demo test lint clean mutate mutate-report lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# demo: apigen and what the README's examples import (boto3, the stub server's client)
$(VENV)/.installed-demo: pyproject.toml $(LOCK) | $(BIN)/python
	$(INSTALL) -e '.[examples]'
	$(BIN)/python tools/lock.py --check examples
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(INSTALL) -e '.[test,examples]'
	$(BIN)/python tools/lock.py --check test,examples
	touch $@ $(VENV)/.installed-demo

# Update the lock on purpose: `make lock` (botocore kept), `make lock BOTOCORE=1.44.20`; then
# run `make test` before committing it (see tools/lock.py).
lock: | $(BIN)/python
	$(BIN)/python tools/lock.py $(if $(BOTOCORE),--botocore $(BOTOCORE))

demo: $(VENV)/.installed-demo
	@echo "== checking the specs"
	@$(BIN)/apigen check
	@echo "== regenerating generated/ from specs/"
	@$(BIN)/apigen generate
	@echo "== what was produced"
	@cd generated && find . -type f | sort | sed 's|^\./|  generated/|'
	@echo "== versions of $(SPEC)"
	@$(BIN)/apigen versions $(SPEC)
	@echo "== changelog of $(SPEC)"
	@# apigen diff exits 1 when there are changes (for CI); here changes are what we want to see.
	@$(BIN)/apigen diff $(SPEC)@1.14.9 $(SPEC)@1.14.10 --format text || test $$? -eq 1

test: $(VENV)/.installed-test
	@sh tools/install-chromium.sh || true
	@# the JS SDK for tests/server/test_js_sdk.py (skipped with a reason where Node is absent)
	@if command -v npm >/dev/null 2>&1; then cd tests/server/js && npm ci --no-audit --no-fund --silent || true; fi
	$(BIN)/apigen generate --check
	@# one worker per core (pytest-xdist), each taking whole test files (module fixtures built once)
	$(BIN)/python -m pytest -n auto --dist loadfile

# ruff and mypy --strict ([tool.mypy]) over the hand-written code; mypy keeps its cache in
# .mypy_cache/, so a second run checks only what changed
LINTED := codegen tools tests

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check $(LINTED)
	$(BIN)/python -m ruff format --check $(LINTED)
	$(BIN)/python -m mypy $(LINTED)

# Opt-in mutation testing, not part of `make test` (tests/mutation/README.md): mutmut mutates the
# functions tests/mutation/targets.txt names, one worker by default (a shared machine).
MUTATE_JOBS ?= 1
MUTATE_TARGETS = $(shell grep -v '^\#' tests/mutation/targets.txt)

$(VENV)/.installed-mutate: pyproject.toml $(LOCK) | $(BIN)/python
	$(INSTALL) -e '.[test,examples,mutate]'
	$(BIN)/python tools/lock.py --check test,examples
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-demo

mutate: $(VENV)/.installed-mutate
	rm -f mutants/mutmut-stats.json  # which tests reach which function: recomputed, tests change
	$(BIN)/python -m mutmut run --max-children $(MUTATE_JOBS) $(foreach t,$(MUTATE_TARGETS),'$(t)')
	$(BIN)/python tools/mutate_template.py
	$(BIN)/python tools/mutation_report.py

mutate-report:
	$(BIN)/python tools/mutation_report.py

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
