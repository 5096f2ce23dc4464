"""The rule registry: one module per rule, squawk-style.

Every module holds

* ``ID`` (stable, kebab-case), ``SEVERITY`` (``"error"`` or ``"warning"``), and optionally
  ``DEFAULT_ENABLED = False`` for rules that are off unless ``[lint] enable`` names them;
* ``DOC`` (what it catches, why it hurts, the safe alternative) and ``HELP`` (one line);
* ``BAD`` and ``GOOD``: example migrations, run as tests (tests/lint/test_rules.py); an
  example is the SQL text of one migration file, or a dict describing a project (see
  ``pgrelease.lint.lint_example``);
* ``NODES``: the statement node types ``check(stmt, ctx)`` wants to see, and ``check``
  itself, returning ``ctx.hit(...)`` values; a rule that judges a whole file has
  ``finish(ctx)``, one that judges the whole set ``finish_run(run)``.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    add_column_not_null,
    add_column_rewrite,
    alter_column_type,
    anon_write_grant,
    blocking_maintenance,
    concurrently_in_body,
    constraint_not_valid,
    delete_without_where,
    drop_column,
    drop_object,
    drop_table,
    file_name,
    ignore_comment,
    lock_table,
    no_transaction_implicit,
    out_of_order,
    prefer_bigint_pk,
    prefer_identity,
    prefer_jsonb,
    prefer_text,
    prefer_timestamptz,
    rename_column,
    rename_table,
    require_concurrent_index,
    require_concurrent_index_drop,
    require_if_not_exists,
    require_lock_timeout,
    require_rls,
    schema_version_bump,
    security_definer_search_path,
    set_not_null,
    syntax_error,
    transaction_blocks,
    transaction_control,
    truncate,
    unique_using_index,
    update_without_where,
)

__all__ = ["CATEGORIES", "RULES", "RULES_BY_NODE"]

# In the order the documentation lists them.
CATEGORIES: dict[str, list[ModuleType]] = {
    "Destructive (the additive-only policy)": [
        drop_table, drop_column, drop_object, truncate, delete_without_where, update_without_where,
        rename_table, rename_column, alter_column_type,
    ],
    "Locks and rewrites on existing tables": [
        require_concurrent_index, require_concurrent_index_drop, no_transaction_implicit, add_column_not_null,
        add_column_rewrite, set_not_null, constraint_not_valid, unique_using_index, blocking_maintenance, lock_table,
    ],
    "Robustness": [require_lock_timeout, require_if_not_exists, transaction_control, transaction_blocks,
                   concurrently_in_body],
    "Types and Supabase habits": [
        prefer_jsonb, prefer_text, prefer_timestamptz, prefer_identity, prefer_bigint_pk, require_rls,
        security_definer_search_path, anon_write_grant,
    ],
    "Project hygiene": [file_name, out_of_order, schema_version_bump],
    "The linter itself": [syntax_error, ignore_comment],
}

RULES: dict[str, ModuleType] = {m.ID: m for modules in CATEGORIES.values() for m in modules}

RULES_BY_NODE: dict[str, list[ModuleType]] = {}
for _module in RULES.values():
    for _kind in getattr(_module, "NODES", ()):
        RULES_BY_NODE.setdefault(_kind, []).append(_module)
