"""Every rule's ``bad`` examples give exactly the findings they declare (rule, line, a part
of the message); its ``good`` ones none. Every rule module implements the interface."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from pgrelease.lint import LintConfig, lint_example
from pgrelease.lint import rules as rules_package
from pgrelease.lint.registry import CATEGORIES, ENGINE_REPORTED, RULES, RULES_BY_CATEGORY, interface_problems, rule_of
from pgrelease.lint.rule import DESTRUCTIVE, ERROR, Bad, Rule

# Run every rule, the ones that are off by default too.
ALL_ON = LintConfig(enable=frozenset(RULES))


def _cases(attr):
    for rule_id, rule in RULES.items():
        for i, example in enumerate(getattr(rule, attr)):
            yield pytest.param(rule_id, example, id=f"{rule_id}-{attr}{i}")


def _show(findings):
    return [f"{Path(f.file).name}:{f.line}:{f.column} {f.rule}: {f.message}" for f in findings]


def _expected(bad: Bad) -> list[tuple[str | None, int, str]]:
    return [(None, *e) if len(e) == 2 else tuple(e) for e in bad.findings]


@pytest.mark.parametrize("rule_id,bad", list(_cases("bad")))
def test_bad_example_is_found(rule_id, bad):
    result = lint_example(bad.example, config=ALL_ON)
    found = result.by_rule(rule_id)
    expected = _expected(bad)
    shown = f"{rule_id} on:\n{bad.example}\nexpected: {expected}\nfound: {_show(result.findings)}"
    assert len(found) == len(expected), shown
    for finding, (file, line, text) in zip(found, expected):
        assert finding.line == line and text in finding.message, shown
        assert file is None or Path(finding.file).name == file, shown


@pytest.mark.parametrize("rule_id,example", list(_cases("good")))
def test_good_example_is_clean(rule_id, example):
    result = lint_example(example, config=ALL_ON)
    assert not result.by_rule(rule_id), f"{rule_id} fired on:\n{example}\nfound: {_show(result.findings)}"


def test_bad_examples_of_statement_rules_parse():
    """A bad example must fail for its rule's reason, not because the SQL does not parse."""
    for rule_id, rule in RULES.items():
        if rule_id in ENGINE_REPORTED:
            continue
        for example in [b.example for b in rule.bad] + list(rule.good):
            result = lint_example(example, config=ALL_ON)
            assert not result.by_rule("syntax-error"), (rule_id, example, _show(result.findings))


# --- the interface ------------------------------------------------------------------------


@pytest.mark.parametrize("name", rules_package.module_names())
def test_every_rule_module_implements_the_interface(name):
    module = __import__(f"{rules_package.__name__}.{name}", fromlist=["_"])
    rule = rule_of(module)
    assert interface_problems(rule, name) == []
    assert RULES[name.replace("_", "-")] is rule


def _rule(**changes):
    attrs = dict(id="demo-rule", category=DESTRUCTIVE, severity=ERROR, nodes=("DropStmt",),
                 doc="what it catches\nwhy it hurts\nthe safe alternative", help="do this instead",
                 bad=[Bad("drop table t;", [(1, "DROP")]), Bad("drop table u;", [(1, "DROP")])],
                 good=["select 1;", "select 2;"], check=lambda self, ctx, node: [])
    attrs.update(changes)
    for key in [k for k, v in attrs.items() if v is _MISSING]:
        del attrs[key]
    return type("DemoRule", (Rule,), attrs)


_MISSING = object()


def test_a_complete_rule_has_no_problems():
    assert interface_problems(_rule(), "demo_rule") == []


@pytest.mark.parametrize("changes,needle", [
    ({"id": _MISSING}, "id: missing"),
    ({"help": _MISSING}, "help: missing"),
    ({"bad": _MISSING}, "bad: missing"),
    ({"id": "Demo_Rule"}, "kebab-case"),
    ({"id": "other-rule"}, "does not match its module"),
    ({"category": "Misc"}, "category"),
    ({"severity": "fatal"}, "severity"),
    ({"doc": "one line"}, "doc"),
    ({"help": " "}, "help: empty"),
    ({"bad": ["drop table t;", "drop table u;"]}, "Bad("),  # examples without what they must report
    ({"bad": [Bad("drop table t;", [])] * 2}, "Bad("),
    ({"good": ["select 1;"]}, "good"),
    ({"nodes": ("DropStatement",)}, "pglast node type"),
    ({"nodes": "DropStmt"}, "tuple"),
    ({"check": _MISSING}, "does not implement check"),
    ({"nodes": ()}, "nothing would call it"),
    ({"nodes": (), "check": _MISSING}, "can never report"),
])
def test_an_incomplete_rule_is_refused(changes, needle):
    problems = interface_problems(_rule(**changes), "demo_rule")
    assert any(needle in p for p in problems), problems


def test_a_module_without_exactly_one_rule_is_refused():
    empty = types.ModuleType("pgrelease.lint.rules.empty")
    with pytest.raises(TypeError, match="exactly one Rule subclass"):
        rule_of(empty)


def test_registry_lists_every_rule_module_once():
    listed = [r.id for rules in RULES_BY_CATEGORY.values() for r in rules]
    assert len(listed) == len(set(listed)) == len(RULES) == len(rules_package.module_names()) >= 30
    assert rules_package.rule_ids() == set(RULES)


def test_docs_list_every_rule_under_its_category():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "lint.md").read_text()
    sections = {}
    for chunk in doc.split("\n### ")[1:]:
        title, _, body = chunk.partition("\n")
        sections[title.strip()] = body.split("\n## ")[0]
    for category in CATEGORIES:
        assert category in sections, category
        for rule in RULES_BY_CATEGORY[category]:
            assert f"`{rule.id}`" in sections[category], (rule.id, category)
