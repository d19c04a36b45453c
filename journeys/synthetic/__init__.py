"""Synthetic journeys for trials, demonstrations and benchmarks: no real child anywhere.

:func:`generate` makes journeys in the load format (deterministic for a seed, every rule
kept); :func:`write_903` writes them as the SSDA903 returns an LA would hold, one per
collection year.
"""

from journeys.synthetic.as_903 import corrected
from journeys.synthetic.generator import DEFAULT_END, DEFAULT_START, generate
from journeys.synthetic.places import ons_code
from journeys.synthetic.returns_903 import collection_year, write_903

__all__ = ["DEFAULT_END", "DEFAULT_START", "collection_year", "corrected", "generate", "ons_code", "write_903"]
