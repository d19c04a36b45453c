"""Run the reference SSDA903 validator (Data to Insight's csc-validator-be-903) on one return.

Runs with the python of its own virtual environment (``make validator`` builds ``.venv-903``),
never the project's: the validator pins an older pandas. Reads every CSV file of FOLDER as the
tables of the return of YEAR (the year ending 31 March) and prints JSON::

    {"year": 2016, "ruleset": "lac2022_23", "tables": [...], "skipped": [...], "failed": [...],
     "errors": [{"rule": "514", "table": "AD1", "row": 0, "child": "C1", "message": "..."}]}

With ``--previous`` the previous year's return is read too, for the rules that compare the two.
With ``--all-years`` FOLDER is a folder of year folders: each year is checked with the year before
it, and the output is the list of the years' reports.

Example:
    .venv-903/bin/python scripts/validate_903.py OUT/825/2016 --year 2016 --la E06000060 --previous OUT/825/2015
    .venv-903/bin/python scripts/validate_903.py OUT/825 --all-years --la E06000060
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import pkgutil
import sys
from pathlib import Path


def ruleset_for(year: int) -> str:
    """The validator's rule pack of the collection year ending in ``year`` (the oldest for earlier years)."""
    import lac_validator.rules as rules

    packs = sorted(m.name for m in pkgutil.iter_modules(rules.__path__) if m.name.startswith("lac20"))
    wanted = f"lac{year - 1}_{year % 100:02d}"
    if wanted in packs:
        return wanted
    return packs[0] if wanted < packs[0] else packs[-1]


def _files(folder: Path, description: str) -> list[dict[str, object]]:
    return [
        {"name": p.name, "file_content": p.read_bytes(), "description": description}
        for p in sorted(folder.glob("*.csv"))
        if len(p.read_bytes().splitlines()) > 1  # a table with no rows is a table not sent
    ]


def validate(folder: Path, year: int, la: str, previous: Path | None = None) -> dict[str, object]:
    logging.disable(logging.CRITICAL)
    from lac_validator.lac_validator import LacValidator

    files = _files(folder, "This year") + (_files(previous, "Prev year") if previous else [])
    ruleset = ruleset_for(year)
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    v = LacValidator(metadata={"collectionYear": str(year), "localAuthority": la}, files=files, registry=registry)
    errors = []
    for table, frame in v.ds_results.items():
        if table == "metadata":
            continue
        for column in (c for c in frame.columns if str(c).startswith("ERR_")):
            code = column[4:]
            for row in frame.index[frame[column].fillna(False).astype(bool)]:
                child = frame.at[row, "CHILD"] if "CHILD" in frame.columns else None
                errors.append({"rule": code, "table": table, "row": int(row),
                               "child": None if child != child else str(child),
                               "message": registry[code].message})  # fmt: skip
    errors.sort(key=lambda e: (e["rule"], e["table"], e["row"]))
    return {"year": year, "ruleset": ruleset, "tables": sorted(t for t in v.dfs), "skipped": sorted(map(str, v.skips)),
            "failed": sorted(map(str, v.fails)), "errors": errors}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="folder of one return's 903 CSV tables")
    parser.add_argument("--year", type=int, help="collection year, the year ending 31 March (not with --all-years)")
    parser.add_argument("--la", default="E10000002", help="local authority code (ONS form, e.g. E10000002)")
    parser.add_argument("--previous", type=Path, help="folder of the previous year's return (rules comparing years)")
    parser.add_argument(
        "--all-years", action="store_true", help="FOLDER holds year folders: each checked with the year before"
    )
    args = parser.parse_args()
    if args.all_years:
        if not args.folder.is_dir():
            print(f"Error: {args.folder} is not a folder: give a folder of year folders", file=sys.stderr)
            return 2
        years = sorted(int(p.name) for p in args.folder.iterdir() if p.is_dir() and p.name.isdigit())
        reports = []
        for year in years:
            before = args.folder / str(year - 1)
            reports.append(validate(args.folder / str(year), year, args.la, before if before.is_dir() else None))
        json.dump(reports, sys.stdout, indent=1)
        print()
        return 0
    if args.year is None:
        print("Error: give --year (the collection year of FOLDER), or --all-years", file=sys.stderr)
        return 2
    for folder in (args.folder, args.previous):
        if folder is not None and not folder.is_dir():
            print(f"Error: {folder} is not a folder: give the folder of one return's CSV tables", file=sys.stderr)
            return 2
    json.dump(validate(args.folder, args.year, args.la, args.previous), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
