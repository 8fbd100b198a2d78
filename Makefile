# inspect_app: the two commands a new user needs are `make run` and `make test` (see README.md).
# Every step is skipped when its output is newer than its inputs, so a second run is fast.

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
HOST     ?= 127.0.0.1
PORT     ?= 5000
# Debian packages: WeasyPrint's libraries (PDF), fonts, poppler (PDF checks in tests), Chromium (browser tests).
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation poppler-utils chromium chromium-driver

.PHONY: run test setup system-deps python-deps assets db demo-if-empty lint lint-check clean

run: setup db demo-if-empty
	@echo ""
	@echo "inspect_app is running at http://$(HOST):$(PORT)/"
	@echo "Sign in as lead@demo.example with password demo-password-1234 (demo data only)."
	@echo ""
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-deps python-deps assets

system-deps: $(VENV)/.system-deps

$(VENV)/.system-deps: Makefile
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "Some Debian packages are missing. Run as root:"; \
	    echo "  apt-get update && apt-get install -y --no-install-recommends $$missing"; \
	    exit 1; \
	  fi; \
	fi
	@mkdir -p $(VENV) && touch $@

python-deps: $(VENV)/.python-deps

$(VENV)/.python-deps: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

assets: static/govuk/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/govuk/.built: node_modules/.installed static/scss/app.scss scripts/build-assets.mjs
	npm run -s build
	touch $@

db: setup
	$(BIN)/inspect-app db upgrade
	$(BIN)/inspect-app frameworks load

demo-if-empty: db
	$(BIN)/inspect-app demo --if-empty

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# What CI enforces: the lint rules (formatting is advised, not enforced).
lint-check: python-deps
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules static/govuk static/vendor
