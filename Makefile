# rdlearn: one command per job. `make app` serves the app; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: app test bench handouts lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.app-installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.handouts-installed: pyproject.toml $(VENV)/.app-installed
	$(BIN)/python -m pip install --quiet -e ".[handouts]"
	touch $@

app: $(VENV)/.app-installed
	$(BIN)/rdlearn serve $(ARGS)

test: $(VENV)/.test-installed
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-axe.sh
	@bash scripts/ensure-postgres.sh
	@[ -x node_modules/.bin/configurable-http-proxy ] || npm install --silent --no-audit --no-fund --no-package-lock >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	@bash scripts/ensure-chromium.sh
	$(BIN)/python bench/run.py $(ARGS)
	$(BIN)/python bench/room.py
	@bash scripts/ensure-lighthouse.sh
	$(BIN)/python bench/lighthouse.py
	$(BIN)/python bench/audience.py
	$(BIN)/python bench/votes.py
	@bash scripts/ensure-postgres.sh
	$(BIN)/python bench/hall_processes.py

handouts: $(VENV)/.handouts-installed
	@bash scripts/ensure-chromium.sh
	$(BIN)/python -m rdlearn.handouts.build $(ARGS)

check: $(VENV)/.app-installed
	$(BIN)/rdlearn check

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) build dist
