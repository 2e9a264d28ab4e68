# One task runner for developers and CI (.ci/run calls these targets).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= fdiscope-demo.db
DEV    ?= ../shared/eval/dev.jsonl

.PHONY: venv demo test gate bench lint clean

$(BIN)/fdiscope: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,scale]'
	@touch $@

venv: $(BIN)/fdiscope

demo: venv
	rm -f $(DB)
	$(BIN)/fdiscope ingest examples/ --db $(DB)
	$(BIN)/fdiscope projects --db $(DB)
	$(BIN)/fdiscope trade --db $(DB)
	$(BIN)/fdiscope events --db $(DB)

test: venv
	$(BIN)/python -m pytest

# Quality gate: extract the dev set and fail when slot F1 falls below eval/floors.json; then the
# same for the team's own written articles (eval/written/, floors in eval/floors-written.json).
gate: venv
	@mkdir -p out
	@if [ -f $(DEV) ]; then \
	  $(BIN)/fdiscope extract $(DEV) -o out/dev-pred.jsonl && \
	  $(BIN)/fdiscope eval $(DEV) out/dev-pred.jsonl --floors eval/floors.json; \
	else echo "gate: $(DEV) not found, skipped"; fi
	$(BIN)/fdiscope extract eval/written/written.jsonl -o out/written-pred.jsonl
	$(BIN)/fdiscope eval eval/written/written.jsonl out/written-pred.jsonl --floors eval/floors-written.json

bench: venv
	$(BIN)/pip install --quiet -e '.[bench,scale]'
	$(BIN)/python bench/run.py

lint: venv
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/ruff check src tests
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) out $(DB) build *.egg-info src/*.egg-info
