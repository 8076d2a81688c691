# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint unit app e2e bench mutation browser postgres print-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: start the app on http://localhost:$(PORT) with the embedded SQLite store, for this machine only
run: $(VENV)/.runtime
	$(BIN)/streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port $(PORT)

## browser: Debian's Chromium for the end-to-end tests (Playwright cannot download one here)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the end-to-end tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null \
			|| echo "Could not install chromium: the end-to-end tests will say so"; \
	fi

## postgres: Debian's PostgreSQL server programs for the shared-mode tests; the tests start their own server
## (as the unprivileged user `nobody`, data in a temporary folder, a free port on 127.0.0.1) and stop it.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql for the shared-mode tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null \
			|| echo "Could not install postgresql: the shared-mode tests will say so"; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture

## test: lint, then every test (unit, AppTest pages, end-to-end in Chromium)
test: $(VENV)/.dev browser postgres lint
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup

unit: $(VENV)/.dev postgres
	$(BIN)/python -m pytest tests/unit -q

app: $(VENV)/.dev
	$(BIN)/python -m pytest tests/app -q

e2e: $(VENV)/.dev browser postgres
	$(BIN)/python -m pytest tests/e2e -q

## bench: speed and memory ratios against baselines measured in the same run; then the shared service under
## load (20 browser sessions on PostgreSQL and SQLite: lost and crossed answers, p95 save latency, kill -9)
bench: $(VENV)/.dev browser postgres
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench_shared

## print-check: print the report's Board summary with LibreOffice (example and crowded) and fail if it takes more
## than two A4 pages; the PDFs go to test-artifacts/. Needs libreoffice-calc and poppler-utils, which `make test`
## does not install (the unit tests check the print set-up itself).
print-check: $(VENV)/.dev
	$(BIN)/python -m tests.print_check

## mutation: mutate the published rules and the import checks, and run their unit tests against each mutant
## (mutmut, settings in pyproject.toml; about 15 minutes on 2 cores, plus about 7 for agreement.py and partnership.py,
## at low priority so it never slows other work).
## `mutmut results` lists what survived; `mutmut run "assessment.plan*"` runs one module's mutants again.
mutation: $(VENV)/.dev
	rm -rf mutants
	nice -n 19 $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut export-cicd-stats >/dev/null 2>&1 || true
	@$(BIN)/python -c "import json; s = json.load(open('mutants/mutmut-cicd-stats.json')); \
	  caught = s['killed'] + s['timeout']; \
	  print(f\"caught {caught} of {s['total']} mutants ({100 * caught / s['total']:.1f}%):\", \
	  f\"killed {s['killed']}, timed out {s['timeout']}; survived {s['survived']};\", \
	  f\"not reached by the tests {s['no_tests']}\")"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis mutants
