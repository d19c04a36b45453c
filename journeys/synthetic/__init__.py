"""Synthetic journeys for trials, demonstrations and benchmarks: no real child anywhere.

:func:`generate` makes journeys in the load format (deterministic for a seed, every rule
kept); :func:`write_903` writes them as the SSDA903 returns an LA would hold.
"""

from journeys.synthetic.as_903 import corrected, write_903
from journeys.synthetic.generator import DEFAULT_END, DEFAULT_START, generate

__all__ = ["DEFAULT_END", "DEFAULT_START", "corrected", "generate", "write_903"]
