# The two commands of the README: `make demo` and `make test`. Everything they need installs here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
JS_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo demo-large test lint serve bench bench-pages bench-load browser converters clean

setup: $(PY_STAMP) $(JS_STAMP) browser converters

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Bootstrap, htmx and ECharts come from npm and are served by the platform itself (no CDN).
$(JS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium; install it when we can (root), else they are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium not found; browser tests will be skipped (apt-get install chromium)"; fi; }

# Old Word (.doc) plans are read through Debian's antiword; without it they get a message asking for .docx.
converters:
	@command -v antiword >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword >/dev/null) \
	      || echo "warning: could not install antiword; .doc plans will ask for .docx"; \
	  else echo "note: antiword not found; .doc plans will ask for .docx (apt-get install antiword)"; fi; }

demo: setup
	$(BIN)/yuanqu migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(BIN)/yuanqu demo
	# The demo is one process: background jobs (large imports) run inside the request, no worker.
	# It behaves as production does (DEBUG off: the Chinese 404/403/500 pages, never Django's debug
	# page); WhiteNoise serves the static files from the source folders (WHITENOISE_USE_FINDERS).
	DEBUG=$${DEBUG:-0} YUANQU_TASKS_IMMEDIATE=$${YUANQU_TASKS_IMMEDIATE:-1} $(BIN)/yuanqu runserver $(HOST):$(PORT)

serve: setup
	$(BIN)/yuanqu migrate --noinput
	$(BIN)/yuanqu collectstatic --noinput
	# Request line, header and worker settings: src/yuanqu/gunicorn_conf.py (docs/operations.md).
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c python:yuanqu.gunicorn_conf yuanqu.wsgi

# The demo at a large zone's scale (10,000 targets with a year of reports, 20,000 enterprises, 5,000
# projects, 200,000 grid events): a few minutes. For benchmarks and load tests, not for looking around.
demo-large: setup
	$(BIN)/yuanqu migrate --noinput
	$(BIN)/yuanqu demo --size large

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/yuanqu makemigrations --check --dry-run

bench: setup
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/extract_quality.py
	$(BIN)/python bench/extract_plans.py
	$(BIN)/python bench/imports.py 2>/dev/null
	$(BIN)/python bench/mujun_engine.py
	$(BIN)/python bench/mujun_run.py 2>/dev/null
	$(BIN)/python bench/approvals.py 2>/dev/null
	$(BIN)/python bench/lead_import.py 2>/dev/null
	$(BIN)/python bench/grid_sla.py 2>/dev/null
	$(MAKE) bench-pages bench-load

# Each page's time and ratio to a trivial page, queries and memory, over the large demo at 2,000 and
# 10,000 targets (bench/pages.py; about ten minutes); then requests/s through gunicorn (bench/load.py).
bench-pages: setup
	$(BIN)/python bench/pages.py --targets 2000 2>/dev/null
	$(BIN)/python bench/pages.py --targets 10000 2>/dev/null

# SQLite by default; DATABASE_URL=postgres://… (an empty database) and REDIS_URL=redis://… to try the
# scale-out set-up (docs/operations.md, “When to move off the embedded default”).
bench-load: setup
	$(BIN)/python bench/load.py --targets 10000 --db-worker 2>/dev/null

clean:
	rm -rf $(VENV) node_modules var
