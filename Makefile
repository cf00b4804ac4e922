# kz-internet: `make reproduce` sets up .venv if needed and rebuilds every figure;
# `make test` sets up .venv if needed and runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup reproduce test validate docs lab strip lint bench lock clean

setup: $(STAMP)

# Installs the pinned versions of requirements.lock (uv does it in seconds; pip works too:
# `pip install -c requirements.lock -e '.[dev]'`).
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c requirements.lock -e '.[dev]'
	touch $(STAMP)

reproduce: $(STAMP)
	$(BIN)/kzlib reproduce $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

validate: $(STAMP)
	$(BIN)/kzlib validate

docs: $(STAMP)
	$(BIN)/kzlib docs

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# Before committing a notebook you ran in JupyterLab: outputs stay out of git.
strip: $(STAMP)
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py

# Re-pin after changing dependencies in pyproject.toml; then update environment.yml to match.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf build .pytest_cache .ruff_cache
