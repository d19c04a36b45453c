"""Figure ids: one way to write each, read back to the same run and figure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projections.figure_ids import OPTIONS, FigureRef, MalformedFigureId, parse


def test_an_id_names_the_report_the_la_the_figure_and_the_options_in_order() -> None:
    ref = FigureRef.of("scorecard", "825", {"a3": 16, "to": date(2015, 3, 31), "from": date(2012, 4, 1)})
    assert ref.id("A1.mean_days") == "scorecard:825:A1.mean_days@from=2012-04-01,to=2015-03-31,a3=16"
    assert FigureRef.of("counts", None, {"by": "year", "known": None}).id("2015-16.matches") == (
        "counts:all:2015-16.matches@by=year"
    )


def test_a_known_at_time_is_written_in_utc() -> None:
    moment = datetime(2016, 10, 2, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    written = FigureRef.of("waiting", "825", {"as-at": date(2016, 3, 31), "known": moment}).id("waiting")
    assert written == "waiting:825:waiting@as-at=2016-03-31,known=2016-10-01T23:30:00Z"
    assert parse(written).known_at == moment


def test_free_text_is_percent_encoded_and_read_back() -> None:
    owner, rules = "Smith, J @ Team=2", "my rules/milestones 2016.toml"
    written = FigureRef.of("surgery", "825", {"as-at": date(2016, 3, 31), "owner": owner, "rules": rules}).id(
        "summary.overdue"
    )
    assert " " not in written and written.count("@") == 1 and written.count(",") == 2
    assert parse(written).ref.named == {"as-at": "2016-03-31", "owner": owner, "rules": rules}


texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
days = st.dates(date(2000, 1, 1), date(2030, 12, 31))
values = {
    "from": days,
    "to": days,
    "census": days,
    "as-at": days,
    "a3": st.integers(1, 60),
    "known": st.datetimes(timezones=st.just(UTC)),
    "by": st.sampled_from(["quarter", "year"]),
    "all": st.just(True),
    "owner": texts,
    "rules": texts,
    "baseline": st.sampled_from(["2014-15", "2015-16"]),
    "compare": st.sampled_from(["2015-16", "2016-17"]),
    "price-year": st.sampled_from(["2016-17", "2021-22"]),
    "rate": st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    "costs": texts,
    "index": texts,
}


@st.composite
def refs(draw: st.DrawFn) -> tuple[FigureRef, str]:
    report = draw(st.sampled_from(sorted(OPTIONS)))
    options = {name: draw(values[name]) for name, required in OPTIONS[report] if required or draw(st.booleans())}
    la = draw(st.sampled_from([None, "825", "928"]))
    key = draw(st.from_regex(r"[A-Za-z0-9_-]{1,8}(\.[A-Za-z0-9_-]{1,8})?", fullmatch=True))
    return FigureRef.of(report, la, options), key


@given(refs())
def test_every_id_reads_back_to_the_same_run_and_figure(found: tuple[FigureRef, str]) -> None:
    ref, key = found
    parsed = parse(ref.id(key))
    assert (parsed.ref, parsed.key, str(parsed)) == (ref, key, ref.id(key))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "scorecard:825",
        "scorecard:825:adopted:extra@from=2012-04-01,to=2015-03-31,a3=16",
        "scorecard::adopted@from=2012-04-01,to=2015-03-31,a3=16",
        "nothing:825:adopted",
        "scorecard:825:adopted@from=2012-04-01,to=2015-03-31,a3=61",
        "scorecard:825:adopted@from=2012-04-01,to=2015-03-31,a3=16,a3=16",
        "scorecard:825:adopted@from=2012-04-01,to=2015-03-31,a3=016",
        "scorecard:825:adopted@from=20120401,to=2015-03-31,a3=16",
        "scorecard:825:adopted@from=2012-04-01,to=2015-03-31,a3=16,",
        "waiting:825:waiting@as-at=2016-03-31,known=2016-10-01T23:30:00",
        "waiting:825:waiting@as-at=2016-03-31,known=2016-10-01T23:30:00+00:00",
        "plan-changes:825:total@all=yes",
        "surgery:825:children@as-at=2016-03-31,owner=a b",
    ],
)
def test_anything_a_report_would_not_have_printed_is_malformed(text: str) -> None:
    with pytest.raises(MalformedFigureId):
        parse(text)
