"""Every rule's BAD examples give at least one finding of that rule; its GOOD ones none."""

from __future__ import annotations

import pytest

from pgrelease.lint import LintConfig, lint_example
from pgrelease.lint.rules import CATEGORIES, RULES

# Run every rule, the ones that are off by default too.
ALL_ON = LintConfig(enable=frozenset(RULES))


def _cases(attr):
    for rule_id, module in RULES.items():
        for i, example in enumerate(getattr(module, attr)):
            yield pytest.param(rule_id, example, id=f"{rule_id}-{attr.lower()}{i}")


def _show(result):
    return [f"{f.line}:{f.column} {f.rule}: {f.message}" for f in result.findings]


@pytest.mark.parametrize("rule_id,example", list(_cases("BAD")))
def test_bad_example_is_found(rule_id, example):
    result = lint_example(example, config=ALL_ON)
    assert result.by_rule(rule_id), f"{rule_id} missed:\n{example}\nfound: {_show(result)}"


@pytest.mark.parametrize("rule_id,example", list(_cases("GOOD")))
def test_good_example_is_clean(rule_id, example):
    result = lint_example(example, config=ALL_ON)
    assert not result.by_rule(rule_id), f"{rule_id} fired on:\n{example}\nfound: {_show(result)}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_module_shape(rule_id):
    module = RULES[rule_id]
    assert module.ID == rule_id and rule_id == rule_id.lower() and " " not in rule_id
    assert module.__name__.rsplit(".", 1)[-1] == rule_id.replace("-", "_")
    assert module.SEVERITY in ("error", "warning")
    assert len(module.DOC.strip().splitlines()) >= 3 and module.HELP.strip()
    assert len(module.BAD) >= 2 and len(module.GOOD) >= 2
    assert callable(module.check)


def test_bad_examples_of_statement_rules_parse():
    """A BAD example must fail for its rule's reason, not because the SQL does not parse."""
    for rule_id, module in RULES.items():
        if rule_id in ("syntax-error", "ignore-comment"):
            continue
        for example in module.BAD + module.GOOD:
            result = lint_example(example, config=ALL_ON)
            assert not result.by_rule("syntax-error"), (rule_id, example, _show(result))


def test_registry_lists_every_rule_once():
    listed = [m.ID for modules in CATEGORIES.values() for m in modules]
    assert len(listed) == len(set(listed)) == len(RULES) >= 30


def test_docs_list_every_rule():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "lint.md").read_text()
    for rule_id, module in RULES.items():
        assert f"`{rule_id}`" in doc, rule_id
