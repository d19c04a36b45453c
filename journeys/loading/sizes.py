"""How much a load saves at once: the default number of lines per transaction.

Its own module, importing nothing, so that the command line can show the default in
``journeys load --help`` without importing the application.
"""

from __future__ import annotations

# Fewer, larger transactions commit less often and, with several loading processes, take turns
# at the store less often (national-scale loads in two processes, alternating: 10,000 per batch
# 49.0 s and 46.0 s, 5,000 49.3 s and 52.0 s; a process's peak memory about 190 MB against 145 MB).
LOAD_BATCH = 10_000
