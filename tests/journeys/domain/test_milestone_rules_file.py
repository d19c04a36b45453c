"""The milestone rules are data: the shipped defaults, and a bad rules file refused with the
file, the rule and the reason (and nothing else happening)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.domain.milestones import DEFAULT_RULES, InvalidRules, load_rules
from tests.helpers import Cli

GOOD_RULE = """
[[milestone]]
id = "match"
name = "Matched"
starts = ["placement-order"]
met_by = ["match"]
within = "121 days"
source = "scorecard A2"
"""


def test_the_defaults_are_the_eleven_milestones_each_with_its_source() -> None:
    rules = load_rules()
    assert [r.id for r in rules.rules] == [
        "permanence-plan",
        "care-proceedings",
        "family-finding",
        "match",
        "placed",
        "adoption-review",
        "adoption-order-application",
        "sgo-order",
        "cao-order",
        "ltf-match",
        "return-home",
    ]
    assert all(r.source for r in rules.rules)
    assert [r.plan for r in rules.rules if r.plan] == [
        "special-guardianship",
        "child-arrangements",
        "long-term-fostering",
        "reunification",
    ]
    assert rules.path == str(DEFAULT_RULES)
    assert str(rules.rules[0].within) == "20 working days + 3 months"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "local.toml"
    path.write_text(text)
    return path


def test_a_local_rules_file_is_used_instead_of_the_defaults(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, GOOD_RULE))
    assert [r.id for r in rules.rules] == ["match"]


def test_a_local_rules_file_naming_no_bank_holiday_list_uses_the_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(GOOD_RULE)  # no bank_holidays key and no list beside it

    rules = load_rules(path)

    assert [r.id for r in rules.rules] == ["match"]
    assert rules.holidays == load_rules().holidays


@pytest.mark.parametrize(
    ("text", "rule", "reason"),
    [
        (GOOD_RULE.replace('"121 days"', '"four months"'), "match", "'four months' in 'four months' is not"),
        (GOOD_RULE.replace('["match"]', '["matched"]'), "match", "met_by: 'matched' is not an event"),
        (GOOD_RULE.replace('source = "scorecard A2"\n', ""), "match", "source is missing"),
        (GOOD_RULE + 'colour = "red"\n', "match", "unknown key(s) colour"),
        (GOOD_RULE + GOOD_RULE, "match", "the id is used by an earlier rule"),
        (
            GOOD_RULE.replace('["match"]', '[{ event = "review", review_type = "panel" }]'),
            "match",
            "met_by: review review_type: review type 'panel' is not one of looked-after, adoption",
        ),
        (
            GOOD_RULE.replace('["match"]', '[{ event = "match", colour = "red" }]'),
            "match",
            "match has no field 'colour'",
        ),
        (GOOD_RULE + 'kind = "soon"\n', "match", "kind 'soon' is not"),
        (GOOD_RULE + "adoption = 1\n", "match", "adoption must be true or false"),
        (GOOD_RULE + 'plan = "kinship"\n', "match", "plan 'kinship' is not one of adoption, reunification"),
        ('bank_holidays = "none.toml"\n' + GOOD_RULE, None, "bank holiday calendar 'none.toml' is not known"),
        ("bank_holidays = 1\n" + GOOD_RULE, None, "bank_holidays must be a calendar name"),
        ("[[milestone]\n", None, "is not valid TOML"),
        ("", None, "no [[milestone]] rules"),
    ],
)
def test_an_invalid_rules_file_is_refused_with_the_file_the_rule_and_the_reason(
    tmp_path: Path, text: str, rule: str | None, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InvalidRules) as refused:
        load_rules(path)
    assert refused.value.path == str(path)
    assert refused.value.rule == rule
    assert reason in refused.value.reason
    assert str(path) in str(refused.value)


def test_the_cli_refuses_a_bad_rules_file_with_one_error_line(run: Cli, tmp_path: Path) -> None:
    run("record", "entered-care", "C1", "--on", "2015-01-05")
    path = write(tmp_path, GOOD_RULE.replace('"121 days"', '"121 dayz"'))
    for args in (["surgery"], ["deadlines", "C1"]):
        result = run(*args, "--as-at", "2015-06-01", "--rules", str(path))
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: rules file {path}, rule 'match': '121 dayz' in '121 dayz' is not")
        assert "Traceback" not in result.output
        assert len(result.output.splitlines()) == 1


def test_a_missing_rules_file_is_an_error_line(run: Cli, tmp_path: Path) -> None:
    result = run("surgery", "--rules", str(tmp_path / "nowhere.toml"))
    assert result.exit_code == 1
    assert "cannot be read" in result.output
