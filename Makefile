# dxgrant: `make run` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= dxgrant.config.settings.dev

.PHONY: run dev test setup system venv messages lint test-sqlite test-postgres bench clean

run: setup ## Set up, load the programme and demo data, serve on http://127.0.0.1:$(PORT) as production does (gunicorn, DEBUG off) with a worker
	@bash scripts/run.sh $(PORT)

dev: setup ## Development only: Django's development server (debug pages, auto-reload) with a worker and the demo data
	@bash scripts/dev.sh $(PORT)

test: setup ## Lint, type-check, and run the whole suite on SQLite and on a throwaway PostgreSQL
	@bash scripts/test.sh

setup: system venv messages

system:
	@bash scripts/system-packages.sh

venv: $(BIN)/.installed

$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@# The editable install of the project itself (for the `dxgrant` command) is noisy; quiet unless it fails.
	@$(BIN)/pip install -q --disable-pip-version-check --no-deps -e . >/dev/null 2>&1 || $(BIN)/pip install --no-deps -e .
	@touch $@

messages: venv
	@cd dxgrant && ../$(BIN)/dxgrant compilemessages -v0 --ignore=.venv

lint: setup
	@bash scripts/test.sh --lint-only

test-sqlite: setup
	@bash scripts/test.sh --sqlite-only

test-postgres: setup
	@bash scripts/test.sh --postgres-only

bench: setup ## Run the benchmarks and write docs/benchmarks.md
	@$(BIN)/python bench/run.py

clean:
	rm -rf var/ .venv/
