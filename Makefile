# One entry point for people and CI. Every target creates .venv on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install assets test demo lint format bench clean validator

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(MAKE) assets
	touch $(STAMP)

# The web pages' GOV.UK Frontend assets and the browser tests' axe-core, from the npm registry
# into the venv (the versions govuk-frontend-jinja is made for); served and copied from there.
GOVUK_FRONTEND := govuk-frontend@6.3.0
AXE_CORE := axe-core@4.10.3
assets:
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm $(GOVUK_FRONTEND) $(AXE_CORE)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check journeys projections cli web
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format journeys projections cli web tests
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m bench.run

# The reference SSDA903 validator in its own venv (it pins an older pandas); with RETURN=folder
# YEAR=yyyy [LA=code] it also prints the JSON report of that return.
VALIDATOR := csc-validator-be-903==0.1.17
VENV903 := .venv-903

$(VENV903)/.installed:
	test -x $(VENV903)/bin/python || $(PYTHON) -m venv $(VENV903)
	$(VENV903)/bin/python -m pip install --quiet $(VALIDATOR)
	echo $(VALIDATOR) > $@

validator: $(VENV903)/.installed
	$(if $(RETURN),$(VENV903)/bin/python scripts/validate_903.py $(RETURN) --year $(YEAR) --la $(or $(LA),E10000002))

clean:
	rm -rf $(VENV903) $(VENV) .pytest_cache .mypy_cache .ruff_cache
