# Shuren: the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: demo test install system-deps lock lint clean bench screenshots

$(BIN)/python:
	bash scripts/bootstrap-venv.sh $(PYTHON) $(VENV)

# Install exactly what the lock file pins, then the project itself (editable, no extra resolution).
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/shuren migrate --noinput
	$(BIN)/shuren demo
	PORT=$(PORT) bash scripts/serve-demo.sh

system-deps:
	bash scripts/ensure-system-deps.sh

test: install system-deps
	bash scripts/test.sh

# Re-pin the lock file from pyproject.toml (run after changing dependencies).
lock: | $(BIN)/python
	bash scripts/lock.sh

# Benchmarks (bench/): each figure next to its floor measured in the same run.
bench: install
	bash scripts/bench.sh

# Rewrite the reference screenshots of every role's pages after a change of the interface made on
# purpose (tests/browser/screenshots/README.md); review the images before committing them.
screenshots: install system-deps
	SHUREN_UPDATE_SCREENSHOTS=1 $(BIN)/pytest -n 2 -p no:cacheprovider tests/browser/test_every_role_pages.py

# ruff, mypy (django-stubs, DRF stubs), import-linter (the layers) and djLint; `make test` runs it too.
lint: install
	bash scripts/lint.sh

clean:
	rm -rf $(VENV) var test-artifacts
