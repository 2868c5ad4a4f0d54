# paworkflow — `make run` serves the demo, `make test` runs the suite (see README).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-services bench venv testtools migrate clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

# axe-core for the accessibility checks in the browser tests (npm registry, never served).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: accessibility checks will be skipped"; fi

testtools: node_modules/.installed

migrate: venv
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py migrate --noinput

# Links in the demo's texts point at the port actually served (PUBLIC_BASE_URL wins if set).
RUN_ENV = env -u DATABASE_URL -u REDIS_URL PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}

run: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py runembedded --port $(PORT)

# The whole suite on the embedded defaults (SQLite, in-memory layer, eager tasks, locmem SMS).
# pytest exits 5 when no test ran, which make reports as a failure.
test: venv testtools
	env -u DATABASE_URL -u REDIS_URL -u SMS_BACKEND $(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The same suite against real PostgreSQL and Redis; tests marked `services` and `system` run too.
test-services: venv testtools
	@test -n "$(DATABASE_URL)" || (echo "DATABASE_URL must point at PostgreSQL" && exit 2)
	@test -n "$(REDIS_URL)" || (echo "REDIS_URL must point at Redis" && exit 2)
	CELERY_TASK_ALWAYS_EAGER=1 REQUIRE_SERVICES=1 REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
