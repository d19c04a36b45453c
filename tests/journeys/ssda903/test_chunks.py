"""An import takes children a chunk at a time and keeps the rows read on disk in sorted runs:
the store it leaves and the report it gives are the same whatever the chunk and run sizes."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.loading import export_lines
from journeys.ssda903 import import_903, read_returns
from journeys.synthetic import write_903
from journeys.synthetic.generator import generate
from tests.helpers import FAKE, RETURNS, fake_return


def _import(tmp_path: Path, name: str, steps: list[tuple[list[Path], int | None]], chunk: int, run: int) -> Any:
    app = JourneysApp(str(tmp_path / f"{name}.db"))
    try:
        reports = []
        for paths, year in steps:
            with read_returns(paths, year, run_rows=run) as returns:
                report = import_903(app, returns, la="825", recorded_by="t", batch_size=9, chunk_rows=chunk)
            reports.append(asdict(report))
        return reports, list(export_lines(app, plain=True))
    finally:
        app.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    write_903(generate(150, 12), out, 2024)
    return out / "825" / "2024"


def test_chunk_and_run_sizes_change_nothing(tmp_path: Path, generated: Path) -> None:
    # Each case with chunk and run sizes to try: a chunk of one child and runs of one row where the
    # return is small; the public validator's messy fake data (10,000 rows) in larger ones.
    small = ((1, 1), (7, 3), (300, 50))
    cases: list[tuple[list[tuple[list[Path], int | None]], tuple[tuple[int, int], ...]]] = [
        ([([generated], None), ([generated], None)], small),
        ([([RETURNS / "2016"], None), ([RETURNS / "2015"], None), ([RETURNS], None)], small),
    ]
    if FAKE.is_dir():
        cases.append(([([fake_return(tmp_path / "fake")], None)], ((500, 700),)))
        cases.append(([([FAKE / "fake_903.xml"], 2018)], ((50, 70),)))
    for number, (steps, sizes) in enumerate(cases):
        whole = _import(tmp_path, f"whole-{number}", steps, chunk=10**9, run=10**9)
        assert whole[1], steps
        for chunk, run in sizes:
            assert _import(tmp_path, f"{number}-{chunk}-{run}", steps, chunk=chunk, run=run) == whole, (chunk, run)
