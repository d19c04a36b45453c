"""The mutation test: single mutations of a checkpointed store, made in its database behind the
engine's back, are every one found by `verify --against`, which names the child changed; the
untouched store passes. (The benchmark runs 10,000 of them: docs/performance.md.)"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from journeys import JourneysApp, generate_key, load_signing_key, save_checkpoint, verify_against
from tests.helpers import load_generated
from tests.mutations import KINDS, mutate, table_of, undetected

# How many mutations a run of `make test` makes; the benchmark makes 10,000.
ON_SQLITE = 270
ON_POSTGRES = 45


def checkpointed(store: str, folder: Path) -> tuple[JourneysApp, Path]:
    """A store of generated journeys (corrections and retractions among them) and a checkpoint of it."""
    app = load_generated(JourneysApp(store), 30, 11, las=2, batch_size=40)
    generate_key(folder / "key.pem")
    checkpoint = folder / "checkpoint.json"
    save_checkpoint(app, load_signing_key(folder / "key.pem"), checkpoint)
    return app, checkpoint


def _mutations_are_all_found(store: str, folder: Path, count: int, seed: int) -> None:
    app, checkpoint = checkpointed(store, folder)
    table = table_of(store)
    try:
        before = table.fingerprint()
        assert verify_against(app, [checkpoint]).ok

        missed, kinds = undetected(app, table, checkpoint, count, seed)

        assert missed == []
        assert set(kinds) == set(KINDS)
        assert table.fingerprint() == before
        assert verify_against(app, [checkpoint]).ok
    finally:
        table.close()
        app.close()


def test_every_mutation_of_a_sqlite_store_is_found_naming_its_child(tmp_path: Path) -> None:
    _mutations_are_all_found(str(tmp_path / "journeys.db"), tmp_path, ON_SQLITE, seed=1)


@pytest.mark.postgres
def test_every_mutation_of_a_postgres_store_is_found_naming_its_child(postgres_store: str, tmp_path: Path) -> None:
    _mutations_are_all_found(postgres_store, tmp_path, ON_POSTGRES, seed=2)


@pytest.mark.parametrize("kind", ["delete-last", "delete-middle", "delete-journey", "swap-rechained", "forge"])
def test_what_the_hash_chain_alone_misses_the_checkpoint_finds(tmp_path: Path, kind: str) -> None:
    store = str(tmp_path / "journeys.db")
    app, checkpoint = checkpointed(store, tmp_path)
    table = table_of(store)
    try:
        mutation = mutate(table, random.Random(kind), kind)

        chains_alone = app.verify()
        against = verify_against(app, [checkpoint])
    finally:
        table.close()
        app.close()

    assert chains_alone.tampered == []
    assert {(f.la, f.child) for f in against.findings} == {(mutation.la, mutation.child)}
