"""Loading in small batches (children spread over many batches, late lines for children
stored in earlier batches) stores exactly what one big batch stores."""

from __future__ import annotations

import json
from pathlib import Path

from journeys import JourneysApp
from journeys.loading import export_lines, load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate


def _export(store: str, lines: list[str], batch_size: int) -> list[dict[str, object]]:
    app = JourneysApp(store)
    try:
        report = load_lines(
            app, read_lines(lines, None), recorded_by="bench", source_name="s.jsonl", batch_size=batch_size
        )
        assert report.rejected == []
        assert report.loaded == len(lines)
        again = load_lines(
            app, read_lines(lines, None), recorded_by="bench", source_name="s.jsonl", batch_size=batch_size
        )
        assert (again.loaded, again.skipped) == (0, len(lines))
        assert app.verify().tampered == []
        return sorted(export_lines(app, plain=True), key=lambda line: (str(line["child"]), str(line["id"])))
    finally:
        app.close()


def test_small_batches_store_the_same_journeys_as_one_batch(store: str, tmp_path: Path) -> None:
    lines = [json.dumps(line) for line in generate(150, 31, las=2)]
    in_small_batches = _export(store, lines, batch_size=7)
    in_one_batch = _export(str(tmp_path / "one.db"), lines, batch_size=10_000)
    assert in_small_batches == in_one_batch
