# The documented commands: `make dev` runs the app, `make test` runs every test, `make unit` the
# quick tier (no server, no browser: about a minute). All set everything up first, idempotently.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
UI_STAMP := frontend/node_modules/.installed

.PHONY: contract dev test unit test-agent-chat-ui setup setup-frontend browser lint typecheck lock dockerfile bench torture clean

dev: setup setup-frontend
	$(BIN)/python -m harness.dev

test: setup setup-frontend browser lint
	$(BIN)/python -m tests.use_stream_clients.clients  # npm clients' build (cached in .cache/)
	$(BIN)/pytest
	cd frontend && npm test

unit: setup setup-frontend lint
	$(BIN)/pytest -m unit -q
	cd frontend && npm test

# agent-chat-ui, unmodified, against langgraph dev: the npm template, and the current repository
# when AGENT_CHAT_UI_DIR names a checkout. Builds are cached in .cache/ (cold: minutes).
test-agent-chat-ui: setup browser
	$(BIN)/pytest tests/agent_chat_ui

setup: $(PY_STAMP)

$(PY_STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	test -f .env || cp .env.example .env  # langgraph.json reads it; `langgraph up` needs it to exist
	touch $@

setup-frontend: $(UI_STAMP)

$(UI_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests (Playwright's own download does not work offline).
browser:
	@command -v chromium >/dev/null || scripts/install-chromium.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

typecheck: setup
	$(BIN)/mypy

# The wire events' JSON Schema and TypeScript types, generated from their one definition
# (contract/events.py); tests/test_events_contract.py and src/generated/events.test.ts check both.
contract: setup setup-frontend
	$(BIN)/python -m contract.events > frontend/src/generated/events.schema.json
	cd frontend && node scripts/events-types.mjs

# Re-pin Python dependencies after changing pyproject.toml.
lock: setup
	( echo "# Pinned versions that resolved together (pip freeze); regenerate with 'make lock'."; \
	  $(BIN)/python -m pip freeze --exclude-editable ) > constraints.txt

# Streaming figures, written to bench/results/latest.md (printed, not asserted).
bench: setup setup-frontend
	$(BIN)/python -m bench

# 500 random cancels and disconnects; TORTURE_SEED and TORTURE_ONLY replay what it reports.
torture: setup
	TORTURE_POINTS=$${TORTURE_POINTS:-500} $(BIN)/pytest tests/reliability/test_interrupts.py -k random -q -s --timeout 3600

dockerfile: setup
	$(BIN)/langgraph dockerfile Dockerfile

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .langgraph_api .langgraph_url artifacts .cache tests/agent_chat_ui/node_modules \
		tests/use_stream_clients/node_modules
