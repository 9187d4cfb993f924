# iadsim: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/iadsim run scenarios/turkey-s400-ankara.yaml --out runs/turkey-s400-ankara
	$(BIN)/iadsim report runs/turkey-s400-ankara
	@echo "Open the report (a single file, no network needed): runs/turkey-s400-ankara/report.html"
	@echo
	@echo "Next: the same air picture defended by a Patriot battery on the allied link:"
	@echo "  $(BIN)/iadsim run scenarios/turkey-patriot-ankara.yaml --out runs/turkey-patriot-ankara"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) runs .pytest_cache
