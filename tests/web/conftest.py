"""The web tests' stores and server: the evaluation fixtures loaded once, and the app served by
uvicorn on a free port of 127.0.0.1 in a thread, stopped at the end."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from tests.helpers import FIXTURES

AS_AT = "2016-03-31"


def load_evaluation(store: str) -> None:
    app = JourneysApp(store)
    try:
        for path in sorted((FIXTURES / "evaluation-2017").glob("*.jsonl")):
            lines = path.read_text().splitlines()
            assert not load_lines(app, read_lines(lines, str(path)), recorded_by="t", source_name="f").rejected
    finally:
        app.close()


@pytest.fixture(scope="module")
def evaluation_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = str(tmp_path_factory.mktemp("web") / "journeys.db")
    load_evaluation(store)
    return store


@pytest.fixture(scope="module")
def server(evaluation_store: str) -> Iterator[str]:
    """The base URL of `journeys serve` on the evaluation store."""
    import uvicorn

    from web import create_app

    app = JourneysApp(evaluation_store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(app, user="tester"), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(10)
        app.close()


def shots(tmp_path: Path) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder
