"""The checks every entry point shares (journeys/domain/inputs.py), and the rules they feed."""

from __future__ import annotations

from datetime import date

import pytest

from journeys import InvalidEvent, JourneysApp, RuleBroken
from journeys.domain.inputs import (
    MAX_USER,
    case_variants,
    check_la,
    check_user,
    child_reference,
    free_text,
    la_codes,
    parse_date,
)
from journeys.domain.payloads import parse_fields
from tests.helpers import LA, record


@pytest.mark.parametrize("code", ["825", "928", "940", "941", " 852 ", "201", "943"])
def test_dfe_la_codes_are_accepted(code: str) -> None:
    assert check_la(code) == code.strip()


@pytest.mark.parametrize("code", ["999", "ABC", "8250", "XYZ", "", "82", "825\x00", 825.0])
def test_other_la_codes_are_refused_with_a_remedy(code: object) -> None:
    with pytest.raises(InvalidEvent) as refused:
        check_la(code)
    assert "--allow-unknown-la" in refused.value.full_message()


def test_unknown_la_codes_are_let_through_for_a_test_store_but_never_control_characters() -> None:
    assert check_la("999", allow_unknown=True) == "999"
    with pytest.raises(InvalidEvent):
        check_la("9\n99", allow_unknown=True)


def test_the_la_list_holds_every_english_authority_once() -> None:
    codes = la_codes()
    assert codes["825"] == "Buckinghamshire" and codes["928"].startswith("Northamptonshire")
    assert all(len(code) == 3 and code.isdigit() for code in codes)
    assert len(codes) == 160  # 153 current authorities, 7 historic codes


@pytest.mark.parametrize(
    ("given", "stored"),
    [("C001", "C001"), (" C001 ", "C001"), ("Ｃ００１", "C001"), ("S0000001", "S0000001"), (12, "12")],
)
def test_child_references_are_normalised(given: object, stored: str) -> None:
    assert child_reference(given) == stored


@pytest.mark.parametrize(
    "given",
    ["", " ", "C0\n01", "C\x0001", "C001\u200b", "\u202eC001", "C" * 65, None, {}, True, "C\t1"],
)
def test_unprintable_blank_or_long_references_are_refused(given: object) -> None:
    with pytest.raises(InvalidEvent):
        child_reference(given)


@pytest.mark.parametrize("given", ["sw1", "Mrs Ó Briain", "a.smith@example.org", "x" * MAX_USER])
def test_a_printable_user_of_at_most_the_limit_is_kept_as_given(given: str) -> None:
    assert check_user(given) == given


@pytest.mark.parametrize(
    "given", ["", "  ", "a\nb", "tab\there", "nul\x00", "bob\u202e", "\u200bbob", "x" * (MAX_USER + 1), None, 7]
)
def test_a_blank_unprintable_or_long_user_is_refused(given: object) -> None:
    with pytest.raises(InvalidEvent, match="the user"):
        check_user(given)


def test_the_app_refuses_a_long_user_and_appends_nothing(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2014-01-10")
    with pytest.raises(InvalidEvent, match="at most 64"):
        memory_app.record(LA, "C1", "review", date(2014, 2, 1), {"review_type": "looked-after"}, recorded_by="x" * 65)
    with pytest.raises(InvalidEvent, match="the user"):
        memory_app.record(LA, "C2", "entered-care", date(2014, 2, 1), {}, recorded_by="bob\u202e")
    assert len(memory_app.entries(LA, "C1")) == 2
    assert memory_app.find(LA, "C2") is None


def test_case_variants_spell_every_case_of_a_short_reference() -> None:
    assert case_variants("C001") == {"c001"}
    assert case_variants("ab1") == {"AB1", "Ab1", "aB1"}
    assert "ABCDEFGHIJK" in case_variants("abcdefghijk")  # a long one: its usual spellings


@pytest.mark.parametrize("text", ["2014-06-02", "02/06/2014", "2/6/2014", " 2014-06-02 "])
def test_dates_are_read_in_the_documented_forms(text: str) -> None:
    assert parse_date(text) == date(2014, 6, 2)


@pytest.mark.parametrize(
    "value",
    ["20140602", "", " ", "None", "1", "-1", "1.5", {}, [], 1, None, "2014-6-2", "06/02/14", "2014-06-02T00:00"],
)
def test_other_date_forms_are_refused_with_the_same_message(value: object) -> None:
    with pytest.raises(InvalidEvent, match="is not a date in the form YYYY-MM-DD or dd/mm/yyyy"):
        parse_date(value)


@pytest.mark.parametrize("value", ["2014-02-30", "31/04/2014", "2014-13-01", "00/01/2014"])
def test_impossible_days_are_refused(value: str) -> None:
    with pytest.raises(InvalidEvent, match="not a real calendar date"):
        parse_date(value)


def test_payload_dates_read_both_forms_and_refuse_others() -> None:
    assert parse_fields("child-details", {"date_of_birth": "02/06/2014"})["date_of_birth"] == date(2014, 6, 2)
    with pytest.raises(InvalidEvent, match="YYYY-MM-DD or dd/mm/yyyy"):
        parse_fields("child-details", {"date_of_birth": "20140602"})


@pytest.mark.parametrize(("kind", "fields"), [("match", {"adopters": "A\x00B"}), ("disruption", {"reason": "a\nb"}),
                                              ("child-details", {"sibling_group": "G\x1b1"})])  # fmt: skip
def test_control_characters_are_refused_in_every_free_text_field(kind: str, fields: dict[str, str]) -> None:
    with pytest.raises(InvalidEvent, match="control character"):
        parse_fields(kind, fields)


def test_free_text_keeps_printable_unicode() -> None:
    assert free_text("Mr & Mrs Ó Briain — adopters", "adopters") == "Mr & Mrs Ó Briain — adopters"


def test_an_adoption_order_with_no_placement_ever_recorded_is_refused(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2014-01-10")
    record(memory_app, "C1", "placement-order", "2014-05-01")
    with pytest.raises(RuleBroken, match="no placement for adoption is in force") as refused:
        record(memory_app, "C1", "adoption-order", "2015-01-10")
    assert refused.value.rule == "adoption-order-placement"
    assert len(memory_app.entries(LA, "C1")) == 3  # opened and the two decisions: nothing appended
    record(memory_app, "C1", "placed", "2014-08-01")
    record(memory_app, "C1", "adoption-order", "2015-01-10")
    assert memory_app.show(LA, "C1").state.stage == "adopted"


def test_an_adoption_order_after_a_placement_with_foster_carers_is_accepted(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2014-01-10")
    record(memory_app, "C1", "placed", "2014-08-01", with_foster_carers=True)
    record(memory_app, "C1", "adoption-order", "2015-01-10")


def test_an_action_due_before_the_childs_first_decision_is_refused(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2014-01-10")
    with pytest.raises(RuleBroken, match="before the child's first decision"):
        memory_app.add_action(LA, "C1", text="Book panel", owner="TM", due=date(1999, 1, 1), recorded_by="t")
    with pytest.raises(InvalidEvent, match="control character"):
        memory_app.add_action(LA, "C1", text="Book\x00panel", owner="TM", due=date(2015, 1, 1), recorded_by="t")
    assert len(memory_app.entries(LA, "C1")) == 2


def test_a_new_child_is_refused_for_an_unknown_la_and_for_a_case_only_difference(memory_app: JourneysApp) -> None:
    with pytest.raises(InvalidEvent, match="not the DfE code"):
        record(memory_app, "C1", "entered-care", "2014-01-10", la="999")
    record(memory_app, "C001", "entered-care", "2014-01-10")
    with pytest.raises(InvalidEvent, match="differs only by case from child 'C001'"):
        record(memory_app, "c001", "entered-care", "2014-01-10")
    record(memory_app, "Ｃ００１", "review", "2014-02-10", review_type="looked-after")  # fullwidth: the same child
    assert len(memory_app.entries(LA, "C001")) == 3
