# civic-kg: `make demo` builds raw/ into graphs/; `make test` runs the whole suite; `make shell` puts
# .venv/bin (and `kg`) on the PATH; `make notebook` opens notebooks/tour.ipynb in JupyterLab.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench shell notebook clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build raw --out graphs
	@echo "open graphs/views/index.html; kg is $(BIN)/kg (make shell, or source $(BIN)/activate, puts it on the PATH)"

shell: $(STAMP)
	@echo "kg is on the PATH in this shell; exit leaves it"
	@PATH="$(CURDIR)/$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" $${SHELL:-/bin/sh} -i

notebook: $(STAMP)
	$(BIN)/pip install --quiet -e '.[jupyter]'
	$(BIN)/jupyter lab notebooks/tour.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" tests kg

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build .pytest_cache
