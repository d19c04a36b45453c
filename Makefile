# One entry point for people and CI. Every target creates .venv on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo lint format bench clean validator

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check journeys projections cli
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format journeys projections cli tests
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
