"""Figures 13 and 14: what encryption costs a load and a rebuild, each run in one process on a
plain store and on an encrypted one of the same file, as the encrypted store's rate over the
plain store's. 13: event payloads encrypted by the mapper (``CIPHER_KEY``, the library's
AES-GCM cipher). 14: the whole SQLite file encrypted (SQLCipher, ``JOURNEYS_STORE_KEY``): the
events, the read models, the -wal and the -shm.

``python -m bench.encryption [--scale smoke|default]`` runs figure 14 alone on the scale's 10k
file (made afresh) and prints its rows.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path
from statistics import median
from typing import Any

from bench.measure import journeys_command, run_process

GOAL = 0.8  # the encrypted store's rate at least this share of the plain store's


def _load_and_rebuild(store: Path, jsonl: Path, env: dict[str, str]) -> tuple[float, float]:
    """(load events/s, rebuild events/s) of a new store ``store``, both in one process."""
    views = store.with_name(store.stem + ".views.db")
    for leftover in (store, views):
        for path in (leftover, leftover.with_name(leftover.name + "-wal"), leftover.with_name(leftover.name + "-shm")):
            path.unlink(missing_ok=True)
    args = [*journeys_command(), "--store", str(store), "load", str(jsonl), "--json", "--workers", "1"]
    loaded = run_process(args, env=env)
    events = int(json.loads(loaded.stdout)["loaded"])
    rebuilt = json.loads(
        run_process([sys.executable, "-m", "bench.worker", "rebuild", str(store), "1"], env=env).stdout
    )
    return events / loaded.seconds, float(rebuilt["events"]) / float(rebuilt["seconds"])


def _without_keys() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("CIPHER_KEY", "CIPHER_TOPIC")) and not k.startswith("JOURNEYS_STORE_KEY")
    }


def encryption_report(res: Any, work: Path, jsonl: Path) -> None:
    """Rows and goals of figure 13, on ``jsonl`` (the plain store first, then the encrypted)."""
    plain_env = _without_keys()
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


ROUNDS = 3  # plain and SQLCipher stores loaded and rebuilt in turn, the median of each kept


def store_encryption_report(res: Any, work: Path, jsonl: Path, rounds: int = ROUNDS) -> None:
    """Rows and goals of figure 14, on ``jsonl``: a plain store and a SQLCipher store loaded
    and rebuilt in turn, ``rounds`` times (so that neither always runs second, on warm caches)."""
    plain_env = _without_keys()
    encrypted_env = {**plain_env, "JOURNEYS_STORE_KEY": secrets.token_hex(32)}
    runs: dict[str, list[tuple[float, float]]] = {"plain": [], "encrypted": []}
    for _ in range(rounds):
        runs["plain"].append(_load_and_rebuild(work / "file-plain.db", jsonl, plain_env))
        runs["encrypted"].append(_load_and_rebuild(work / "file-encrypted.db", jsonl, encrypted_env))
    plain = [median(r[i] for r in runs["plain"]) for i in (0, 1)]
    encrypted = [median(r[i] for r in runs["encrypted"]) for i in (0, 1)]
    load_ratio, rebuild_ratio = encrypted[0] / plain[0], encrypted[1] / plain[1]
    each = f"median of {rounds}, one process"
    res.row(f"14. load, plain / SQLCipher store (events/s, {each})", f"{plain[0]:,.0f} / {encrypted[0]:,.0f}")
    res.row(f"14. rebuild, plain / SQLCipher store (events/s, {each})", f"{plain[1]:,.0f} / {encrypted[1]:,.0f}")
    res.goal(
        f"load on a SQLCipher store ≥ {GOAL} × plain", load_ratio, f"≥ {GOAL}", load_ratio >= GOAL,
        "every page AES-256 encrypted and authenticated", always=True,
    )  # fmt: skip
    res.goal(
        f"rebuild on a SQLCipher store ≥ {GOAL} × plain", rebuild_ratio, f"≥ {GOAL}", rebuild_ratio >= GOAL,
        "the events read and the read models written through SQLCipher", always=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    from bench.run import SCALES, SEED, Results, write_jsonl

    parser = argparse.ArgumentParser(prog="python -m bench.encryption", description="Figure 14 alone.")
    parser.add_argument("--scale", choices=["smoke", "default"], default=os.environ.get("BENCH_SCALE", "default"))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    res = Results(scale)
    with tempfile.TemporaryDirectory(prefix="journeys-bench-") as folder:
        work = Path(folder)
        jsonl = work / "10k.jsonl"
        events = write_jsonl(jsonl, scale.small_children)
        res.row("scale", f"{scale.name}: {events} events ({scale.small_children} children), seed {SEED}")
        store_encryption_report(res, work, jsonl, args.rounds)


if __name__ == "__main__":
    main()
