"""A reference that differs from another only by case (or Unicode form) is refused the same
way whether the load runs in one process or several: both spellings go to one process."""

from __future__ import annotations

import json
from pathlib import Path

from journeys import JourneysApp
from journeys.loading.jsonl import part_of
from journeys.loading.parallel import load_file
from journeys.synthetic.generator import generate


def test_spellings_of_one_reference_fall_in_one_part() -> None:
    spellings = ["C001", "c001", "Ｃ００１", " C001 "]
    for parts in (2, 3, 4):
        assert len({part_of({"la": "825", "child": child}, None, parts) for child in spellings}) == 1


def test_a_case_variant_is_refused_alike_by_one_and_by_several_processes(tmp_path: Path) -> None:
    lines = [json.dumps(line) for line in generate(60, 3)]
    firsts = [json.loads(line) for line in lines if json.loads(line)["event"] == "entered-care"][:24]
    for first in firsts:  # the same child again, spelt in lower case, a day later
        lines.append(json.dumps({**first, "child": first["child"].lower(), "on": first["on"][:8] + "28"}))
    path = tmp_path / "journeys.jsonl"
    path.write_text("\n".join(lines) + "\n")
    reports = []
    for workers in (1, 2, 3):
        app = JourneysApp(str(tmp_path / f"{workers}.db"))
        try:
            reports.append(load_file(app, path, default_la=None, recorded_by="test", batch_size=50, workers=workers))
        finally:
            app.close()
    alone = reports[0]
    assert len(alone.rejected) == len(firsts)
    assert all("differs only by case" in reject.reason for reject in alone.rejected)
    for report in reports[1:]:
        assert (report.loaded, report.skipped, report.rejected) == (alone.loaded, alone.skipped, alone.rejected)
