# kz-internet: `make reproduce` sets up .venv if needed and rebuilds every figure;
# `make test` sets up .venv if needed and runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup reproduce test validate docs lab book student strip lint bench lock clean gallery

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

# Rewrite figures/figures.csv from the SVGs and the README gallery from it.
gallery: $(STAMP)
	$(BIN)/python -c "import kzlib; kzlib.catalogue.write_catalogue(); kzlib.write_gallery()"

validate: $(STAMP)
	$(BIN)/kzlib validate

docs: $(STAMP)
	$(BIN)/kzlib docs

# Opens the chapter list; as root (common in containers) Jupyter needs --allow-root.
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) --ServerApp.root_dir=notebooks

# The HTML book in build/book/ from the executed chapters of `make reproduce` (run that first).
book: $(STAMP)
	$(BIN)/python -m kzlib.book

# build/student/: chapters without solutions or outputs, an answer cell per exercise;
# build/teacher/: solutions kept, folded (source and outputs hidden).
student: $(STAMP)
	$(BIN)/python -m kzlib.editions

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
