"""Figure 13: what encrypting event payloads (``CIPHER_KEY``, the library's AES-GCM cipher)
costs a load and a rebuild: each run on a plain store and on an encrypted one of the same
file, in one process, as the encrypted store's rate over the plain store's."""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

from bench.measure import journeys_command, run_process

GOAL = 0.8  # the encrypted store's rate at least this share of the plain store's


def _load_and_rebuild(store: Path, jsonl: Path, env: dict[str, str]) -> tuple[float, float]:
    """(load events/s, rebuild events/s) of a new store ``store``, both in one process."""
    for leftover in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        leftover.unlink(missing_ok=True)
    args = [*journeys_command(), "--store", str(store), "load", str(jsonl), "--json", "--workers", "1"]
    loaded = run_process(args, env=env)
    events = int(json.loads(loaded.stdout)["loaded"])
    rebuilt = json.loads(
        run_process([sys.executable, "-m", "bench.worker", "rebuild", str(store), "1"], env=env).stdout
    )
    return events / loaded.seconds, float(rebuilt["events"]) / float(rebuilt["seconds"])


def encryption_report(res: Any, work: Path, jsonl: Path) -> None:
    """Rows and goals of figure 13, on ``jsonl`` (the plain store first, then the encrypted)."""
    plain_env = {k: v for k, v in os.environ.items() if not k.endswith(("CIPHER_KEY", "CIPHER_TOPIC"))}
    key = base64.b64encode(os.urandom(32)).decode()
    plain = _load_and_rebuild(work / "payload-plain.db", jsonl, plain_env)
    encrypted = _load_and_rebuild(work / "payload-encrypted.db", jsonl, {**plain_env, "CIPHER_KEY": key})
    load_ratio, rebuild_ratio = encrypted[0] / plain[0], encrypted[1] / plain[1]
    res.row("13. load, plain / CIPHER_KEY store (events/s, one process)", f"{plain[0]:,.0f} / {encrypted[0]:,.0f}")
    res.row("13. rebuild, plain / CIPHER_KEY store (events/s, one process)", f"{plain[1]:,.0f} / {encrypted[1]:,.0f}")
    res.goal(
        f"load on a CIPHER_KEY store ≥ {GOAL} × plain", load_ratio, f"≥ {GOAL}", load_ratio >= GOAL,
        "payloads encrypted with AES-GCM", always=True,
    )  # fmt: skip
    res.goal(
        f"rebuild on a CIPHER_KEY store ≥ {GOAL} × plain", rebuild_ratio, f"≥ {GOAL}", rebuild_ratio >= GOAL,
        "payloads decrypted with AES-GCM", always=True,
    )  # fmt: skip
