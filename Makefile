# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
ARTICLE ?= corpus/articles/seed.txt

.PHONY: run test eval bench conformance schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/zhfacts extract $(ARTICLE)

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/zhfacts eval --gold corpus/gold
	@if [ -d $(SHARED)/dev/gold ]; then $(BIN)/zhfacts eval --gold $(SHARED)/dev/gold; \
	else echo "skipped: $(SHARED)/dev not found (the dev articles live only in ../shared)"; fi

schema: $(STAMP)
	$(BIN)/zhfacts schema > schemas/document.schema.json

clean:
	rm -rf $(VENV) build *.egg-info
