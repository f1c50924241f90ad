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
	$(BIN)/zhfacts ner-eval --data $(SHARED)/data

# Speed and memory targets are measured here, not in timed tests. Scripts that read
# ../shared say so and skip cleanly when it is absent.
bench: $(STAMP)
	$(BIN)/python bench/bench_quantities.py
	$(BIN)/python bench/bench_pipeline.py

conformance: $(STAMP)
	$(BIN)/zhfacts conformance $(SHARED)/conformance/recognizers-text

schema: $(STAMP)
	$(BIN)/zhfacts schema > schemas/document.schema.json

clean:
	rm -rf $(VENV) build *.egg-info
