"""Every object kind declares every part, in its own module (``catalog/kinds/<kind>.py``):
its query file(s), model, identity and compared attributes, what is destructive, rename
hints, text summary, and create / drop / alter statements, placed in the plan. A kind that
lacks one fails here instead of silently producing no SQL or no diff."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from importlib import resources

import pytest

from pgrelease.catalog import KIND_ORDER
from pgrelease.catalog.base import CatalogObject, Kind
from pgrelease.catalog.kinds import KINDS
from pgrelease.catalog.queries import query_files

sqlgen = importlib.import_module("pgrelease.catalog.sqlgen")
snapshot_module = importlib.import_module("pgrelease.catalog.snapshot")

KIND_MODULES = sorted(m.name for m in pkgutil.iter_modules(importlib.import_module("pgrelease.catalog.kinds").__path__))
REQUIRED = ("name", "rank", "model", "queries", "destructive_remove", "summary", "renames", "drop_rank", "create_rank")


def _overrides(kind: Kind, method: str) -> bool:
    return getattr(type(kind), method) is not getattr(Kind, method)


def test_one_module_per_kind_and_one_registry() -> None:
    modules = {importlib.import_module(f"pgrelease.catalog.kinds.{name}").KIND.name: name for name in KIND_MODULES}
    assert set(modules) == set(KINDS)
    assert len(KIND_MODULES) == len(KINDS)
    assert tuple(KINDS) == KIND_ORDER
    ranks = [k.rank for k in KINDS.values()]
    assert len(set(ranks)) == len(ranks), "two kinds share a rank"
    for name, module in modules.items():
        assert module == name.replace(" ", "_") or (name, module) == ("type", "type"), (name, module)


@pytest.mark.parametrize("name", list(KINDS))
def test_kind_declares_every_part(name: str) -> None:
    kind = KINDS[name]
    missing = [part for part in REQUIRED if not hasattr(kind, part)]
    assert not missing, f"kind {name} declares no {', '.join(missing)}"

    # model: a frozen dataclass with its own identity; compared attributes are its fields
    model = kind.model
    assert issubclass(model, CatalogObject) and model is not CatalogObject
    assert dataclasses.is_dataclass(model) and model.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert model.KIND == name
    assert model.identity is not CatalogObject.identity, f"{name}: the model has no identity"
    fields = {f.name for f in dataclasses.fields(model)}
    assert set(model.COMPARE) <= fields, f"{name}: COMPARE names no field"
    assert set(model.LABELS) <= set(model.COMPARE)
    labels = {model.LABELS.get(f, f) for f in model.COMPARE}
    assert set(kind.summary) <= labels, f"{name}: summary shows an attribute that is not compared"

    # queries: its own file(s), or those of the kind whose query returns its rows
    if kind.read_with is not None:
        assert not kind.queries and KINDS[kind.read_with].queries, f"{name}: read with a kind that has no query"
    else:
        assert kind.queries, f"{name}: no query file"
    for query in kind.queries:
        assert query_files(query), f"{name}: no file kinds/sql/{query}.sql"

    # diff rules
    assert isinstance(kind.destructive_remove, bool)
    assert kind.renames == _overrides(kind, "rename_signature"), f"{name}: renames and rename_signature disagree"

    # statements, and a place in the plan for them
    assert _overrides(kind, "create"), f"{name}: no create statement"
    assert _overrides(kind, "drop"), f"{name}: no drop statement"
    if model.COMPARE and not kind.always_rebuilt:
        assert _overrides(kind, "alter"), f"{name}: changes are neither altered nor rebuilt"
    claimed_drop = {k for s in sqlgen.SPECIAL_DROP_STEPS for k in s.kinds}
    claimed_create = {k for s in sqlgen.SPECIAL_CREATE_STEPS for k in s.kinds}
    assert kind.drop_rank is not None or name in claimed_drop, f"{name}: not placed among the drops"
    assert kind.create_rank is not None or name in claimed_create, f"{name}: not placed among the creations"


def test_every_query_file_belongs_to_a_kind() -> None:
    owned = {q for k in KINDS.values() for q in k.queries}
    files = {e.name.split(".", 1)[0] for e in resources.files("pgrelease.catalog.kinds").joinpath("sql").iterdir()
             if e.name.endswith(".sql")}
    assert files == owned
    assert [q for q, _ in snapshot_module.QUERIES] == [q for k in KINDS.values() for q in k.queries]


@pytest.mark.parametrize("steps", ["DROP_STEPS", "CREATE_STEPS"])
def test_plan_steps_have_distinct_ranks(steps: str) -> None:
    ranks = [rank for rank, _ in getattr(sqlgen, steps)]
    assert len(set(ranks)) == len(ranks), f"two {steps} share a rank"
