"""The README's console examples run, in order, against a fresh store: docs cannot drift."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.helpers import ROOT


def _console_lines() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_every_readme_journeys_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    env: dict[str, str] = {"JOURNEYS_USER": "readme"}
    ran = 0
    for line in _console_lines():
        words = shlex.split(line)
        if words[0] == "export":
            env.update(dict(word.split("=", 1) for word in words[1:]))
            continue
        if words[0] != "journeys":
            continue
        result = CliRunner().invoke(cli, words[1:], env=env, catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        ran += 1
    assert ran >= 20
