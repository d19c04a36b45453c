"""A process killed part-way through an import leaves a consistent store; running again completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from journeys import JourneysApp
from journeys.loading import export_lines
from tests.helpers import RETURNS, ROOT, Cli, event_count

# Runs the import in its own process and kills that process (SIGKILL: no clean-up) once the
# decisions of KILL_AT rows are with the loader, in batches of 4: a batch is committed and the
# next is half-built in memory.
KILLED_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from journeys import JourneysApp
    from journeys.ssda903 import import_903

    store, kill_at, returns = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])

    def progress(done, total):
        if done >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    import_903(JourneysApp(store), [returns], la="825", recorded_by="tester", batch_size=4, progress=progress)
    """
)


def _export(store: str) -> list[dict[str, object]]:
    app = JourneysApp(store)
    try:
        return list(export_lines(app, plain=True))
    finally:
        app.close()


def test_a_killed_import_rerun_gives_the_same_store_as_an_uninterrupted_one(tmp_path: Path) -> None:
    interrupted = str(tmp_path / "interrupted.db")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT, interrupted, "10", str(RETURNS)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    app = JourneysApp(interrupted)
    try:
        partial = event_count(app)
        assert app.verify().tampered == []
    finally:
        app.close()
    uninterrupted = str(tmp_path / "whole.db")
    Cli(uninterrupted)("import-903", str(RETURNS), "--quiet")
    whole = _export(uninterrupted)
    assert 0 < partial < len(whole)  # the kill came part-way

    rerun = Cli(interrupted)("import-903", str(RETURNS), "--quiet", "--json")
    assert rerun.exit_code == 0, rerun.output
    assert _export(interrupted) == whole
    again = Cli(interrupted)("import-903", str(RETURNS), "--quiet", "--json")
    assert '"events_appended": 0' in again.output
