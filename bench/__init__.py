"""The performance benchmark: `python -m bench.run` (or `make bench`).

Every figure is a ratio measured in one run on one machine: the engine against a plain
baseline doing the least the same job needs (sqlite3 executemany, a SELECT with json.loads,
a pandas script), and the engine at full scale against itself at 10,000 events.
"""
