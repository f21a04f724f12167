# The README's commands. `make run` starts the whole app on the embedded default (SQLite, filesystem broker);
# `make test` runs the whole suite against real PostgreSQL and Redis.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/museumcm
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_DATA_DIR ?= $(CURDIR)/data/test
# The tests run with production settings (DEBUG off, manifest static files) on throwaway secrets.
TEST_ENV = DEBUG=false HTTPS=false SECRET_KEY=test-secret-key-not-for-production \
	FIELD_ENCRYPTION_KEY=uQpJ9XqgU2iGm3cw7j1rN3l0vCq5n8K3yF4sQk2bK2A= \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DATA_DIR=$(TEST_DATA_DIR)

.PHONY: run test install lint format messages bench clean screenshots

# The first install takes a minute or two: say so, and let pip show what it collects and its progress bars.
$(STAMP): pyproject.toml
	@echo "Setting up $(VENV): installing museumcm and its dependencies (a minute or two the first time)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@
	@echo "Installed."

install: $(STAMP)

run: install
	bin/run

test: install
	bin/services $(TEST_DATABASE_URL) $(TEST_REDIS_URL)
	$(TEST_ENV) bin/test-halves $(BIN) $(PYTEST_ARGS)

# Every main page at 1366 px and 390 px, from the browser run that checks them (tests/browser/test_main_pages.py).
screenshots: install
	bin/services $(TEST_DATABASE_URL) $(TEST_REDIS_URL)
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	rm -f docs/screenshots/*.png
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(TEST_ENV) $(BIN)/pytest tests/browser/test_main_pages.py -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=data --no-obsolete
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

bench: install
	bin/services $(TEST_DATABASE_URL) $(TEST_REDIS_URL)
	$(BIN)/python bench/calendar_views.py
	$(BIN)/python bench/publishing.py
	$(BIN)/python bench/inbox.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
