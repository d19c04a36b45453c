"""Reports flag the children whose start of care is only bounded (a 903 return that does not hold
it: entered-care marked on_or_before): the scorecard's A1, A3 and A10 count them in
``start_not_known`` (from the read model, as known at a time, explained), its table says so in a
note, and the flag goes when the earlier return gives the real start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from journeys import JourneysApp
from tests.helpers import Cli, run_import

HEADS = {
    "header": "CHILD,SEX,DOB",
    "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC",
    "placed_for_adoption": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
}


def _return(folder: Path, **tables: list[str]) -> Path:
    folder.mkdir(parents=True)
    for name, head in HEADS.items():
        (folder / f"{name}.csv").write_text("\n".join([head, *tables.get(name, [])]) + "\n", encoding="utf-8")
    return folder


def _later(root: Path) -> Path:
    """2016: K1's start of care is in the 2015 return; K2's is here."""
    return _return(
        root / "2016",
        header=["K1,1,01/01/2012", "K2,2,01/01/2012"],
        episodes=[
            "K1,01/04/2015,L,E1,N1,A4,PR1,20/01/2016,E11",
            "K2,01/02/2014,S,C2,N1,U1,PR1,01/06/2015,X1",
            "K2,01/06/2015,P,E1,N1,A4,PR1,10/03/2016,E11",
        ],
        placed_for_adoption=["K1,01/01/2012,01/09/2014,,", "K2,01/01/2012,01/05/2014,,"],
    )


def _cards(store: str, *extra: str) -> list[dict[str, Any]]:
    got = Cli(store)("scorecard", "--from", "2015-04-01", "--to", "2016-03-31", "--json", *extra)
    assert got.exit_code == 0, got.output
    return list(json.loads(got.output)["by_la"].values())


def test_a_start_of_care_only_bounded_is_counted_in_a1_a3_and_a10_until_the_earlier_return_gives_it(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "s.db")
    app = JourneysApp(store)
    try:
        assert run_import(app, _later(tmp_path / "903")).rows_rejected == 0
    finally:
        app.close()
    for extra in ((), ("--known-at", "2100-01-01"), ("--explain",)):
        (card,) = _cards(store, *extra)
        assert card["A1"]["children"] == 2, extra
        assert [card[f]["start_not_known"] for f in ("A1", "A3", "A10")] == [1, 1, 1], extra
    table = Cli(store)("scorecard", "--from", "2015-04-01", "--to", "2016-03-31")
    assert "Note: start of care not yet known for 1 of the 2 children" in table.output
    app = JourneysApp(store)
    try:
        earlier = _return(
            tmp_path / "903" / "2015",
            header=["K1,1,01/01/2012"],
            episodes=["K1,01/03/2013,S,C2,N1,U1,PR1,01/10/2014,X1", "K1,01/10/2014,L,E1,N1,U1,PR1,,"],
            placed_for_adoption=["K1,01/01/2012,01/09/2014,,"],
        )
        report = run_import(app, earlier)
        assert report.rows_rejected == 0, report.rejects
    finally:
        app.close()
    for extra in ((), ("--known-at", "2100-01-01"), ("--explain",)):
        (card,) = _cards(store, *extra)
        assert [card[f]["start_not_known"] for f in ("A1", "A3", "A10")] == [0, 0, 0], extra
    assert (
        "start of care not yet known"
        not in Cli(store)("scorecard", "--from", "2015-04-01", "--to", "2016-03-31").output
    )
