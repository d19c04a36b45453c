"""Every report's default JSON and CSV (without --explain) are byte for byte what the engine
printed before --explain was added: the goldens in tests/cli/goldens/ were written by the
engine of that time on the fixtures below, and a change of contract must show up here.

To write them again after a deliberate change of output (and say so in the README's
"Changes"): JOURNEYS_WRITE_GOLDENS=1 pytest tests/cli/test_default_output_unchanged.py
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate
from tests.helpers import FIXTURES, Cli

GOLDENS = Path(__file__).resolve().parent / "goldens"
WRITE = os.environ.get("JOURNEYS_WRITE_GOLDENS") == "1"

# name -> the command (each also run with --json, and with --csv where the report has CSV)
COMMANDS: dict[str, list[str]] = {
    "scorecard-period": ["scorecard", "--period", "2012-15"],
    "scorecard-two-las": ["scorecard", "--period", "2012-15", "--la", "825", "--la", "928"],
    "scorecard-part-months": ["scorecard", "--from", "2015-04-10", "--to", "2015-09-20", "--a3-months", "16"],
    "scorecard-known-at": ["scorecard", "--period", "2015-18", "--la", "909", "--known-at", "2100-01-01"],
    "cohort-years": ["cohort", "--census", "2016-09-30"],
    "cohort-window": ["cohort", "--census", "2016-09-30", "--from", "2015-10-01", "--to", "2016-03-31", "--la", "825"],
    "cohort-known-at": ["cohort", "--census", "2020-09-30", "--la", "909", "--la", "928", "--known-at", "2100-01-01"],
    "waiting": ["waiting", "--as-at", "2016-03-31", "--la", "825", "--la", "928"],
    "waiting-known-at": ["waiting", "--as-at", "2019-03-31", "--known-at", "2100-01-01"],
    "counts-year": ["counts", "--by", "year"],
    "counts-quarter": ["counts", "--by", "quarter", "--la", "909", "--known-at", "2100-01-01"],
    "stages-period": ["stages", "--period", "2012-15", "--la", "825", "--la", "928"],
    "stages-every-period": ["stages"],
    "plan-changes": ["plan-changes", "--from", "2015-04-01", "--to", "2016-09-30", "--la", "825"],
    "plan-changes-all": ["plan-changes", "--all", "--known-at", "2100-01-01"],
    "tracking-cohort": ["tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30"],
    "tracking-cohort-909": [
        "tracking-cohort",
        *("--from", "2014-04-01", "--to", "2018-03-31", "--census", "2019-03-31", "--la", "909"),
    ],
    "surgery": ["surgery", "--as-at", "2016-03-31", "--la", "825"],
    "surgery-909": ["surgery", "--as-at", "2019-03-31", "--la", "909", "--known-at", "2100-01-01"],
}


@pytest.fixture(scope="module")
def cli_on_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """The evaluation's two local authorities, the examples and 300 generated journeys in three
    (corrections, late keying and plan changes among them)."""
    store = str(tmp_path_factory.mktemp("goldens") / "journeys.db")
    app = JourneysApp(store)
    try:
        files = sorted((FIXTURES / "evaluation-2017").glob("*.jsonl")) + sorted((FIXTURES / "examples").glob("*.jsonl"))
        for path in files:
            lines = path.read_text().splitlines()
            assert not load_lines(app, read_lines(lines, str(path)), recorded_by="golden", source_name="f").rejected
        generated = [json.dumps(line) for line in generate(300, 14, las=3)]
        assert not load_lines(app, read_lines(generated, None), recorded_by="golden", source_name="g").rejected
    finally:
        app.close()
    yield Cli(store)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("form", ["json", "csv"])
def test_default_output_is_byte_identical_to_the_golden(cli_on_fixtures: Cli, name: str, form: str) -> None:
    result = cli_on_fixtures(*COMMANDS[name], f"--{form}", la=None)
    assert result.exit_code == 0, result.output
    golden = GOLDENS / f"{name}.{form}"
    if WRITE:
        GOLDENS.mkdir(exist_ok=True)
        golden.write_text(result.output)
    assert result.output == golden.read_text(), f"the default --{form} of {' '.join(COMMANDS[name])} changed"
