"""Timing helpers: the `journeys` command, a subprocess's wall time and peak RSS, and latency
percentiles."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from statistics import median, quantiles


def journeys_command() -> list[str]:
    """The `journeys` command line: the installed script, or this interpreter running it."""
    found = shutil.which("journeys")
    return [found] if found else [sys.executable, "-c", "from cli.main import main; main()"]


@dataclass(frozen=True)
class Process:
    seconds: float
    peak_rss_mb: float
    stdout: str
    returncode: int
    cpu_seconds: float = 0.0  # user + system time of the process and the processes it waited for


def run_process(args: list[str], env: dict[str, str] | None = None) -> Process:
    """Run a command to completion; its wall time and its own peak resident memory (wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stdout, stderr = b"", b""
    assert child.stdout is not None and child.stderr is not None
    stdout = child.stdout.read()
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}): {stderr.decode()[-2000:]}")
    # ru_maxrss is in kilobytes on Linux; a child inherits its parent's figure at fork, so
    # it is an upper bound (bench.worker reports the process's own VmHWM instead).
    cpu = usage.ru_utime + usage.ru_stime
    return Process(seconds, usage.ru_maxrss / 1024, stdout.decode(), child.returncode, cpu)


@dataclass(frozen=True)
class Latency:
    median_ms: float
    p95_ms: float
    calls: int


def latency(samples: list[float]) -> Latency:
    """Median and 95th percentile (ms) of samples in seconds."""
    ms = sorted(s * 1000 for s in samples)
    p95 = quantiles(ms, n=20)[-1] if len(ms) >= 2 else ms[0]
    return Latency(median(ms), p95, len(ms))


def peak_rss_mb() -> float:
    """This process's own peak RSS so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
