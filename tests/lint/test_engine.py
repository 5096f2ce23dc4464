"""The lint engine: context across statements and files, ignores, configuration, syntax errors
with positions, no-transaction awareness (from the runner's own code), dollar-quoted bodies."""

from __future__ import annotations

import pytest

from pgrelease.errors import UsageError
from pgrelease.lint import LintConfig, Source, lint_example, lint_files, lint_sql
from pgrelease.lint.config import load_lint_config
from pgrelease.migrations.files import discover
from pgrelease.migrations.parse import parse_migration

LOCKING = {"require-concurrent-index", "add-column-rewrite", "add-column-not-null", "set-not-null",
           "constraint-not-valid", "unique-using-index", "alter-column-type", "drop-column", "rename-column",
           "truncate", "update-without-where", "delete-without-where", "drop-table", "blocking-maintenance",
           "lock-table", "rename-table"}


def rules(result):
    return sorted(f.rule for f in result.findings)


def where(result, rule):
    return [(f.line, f.column) for f in result.by_rule(rule)]


def src(name, sql):
    return Source.from_text(f"supabase/migrations/{name}", sql)


# --- context ---------------------------------------------------------------------------------


def test_table_created_in_same_migration_is_new():
    sql = """
create table public.orders (id bigint generated always as identity primary key, total numeric);
alter table orders enable row level security;
create index orders_total_idx on orders (total);
alter table orders add column token uuid default gen_random_uuid(), add column ref text not null;
alter table orders alter column total set not null, alter column total type numeric(12, 2);
alter table orders add constraint orders_total_check check (total >= 0), add unique (ref);
alter table orders rename column ref to reference;
update orders set total = 0;
delete from orders;
truncate orders;
vacuum full orders;
lock table orders;
alter table orders drop column reference;
alter table orders rename to purchases;
create index on purchases (total);
drop table purchases;
"""
    result = lint_sql(sql)
    assert not set(rules(result)) & LOCKING, rules(result)


def test_only_the_existing_table_is_reported():
    result = lint_sql("create table fresh (a int);\ncreate index on fresh (a);\ncreate index on stale (a);")
    assert where(result, "require-concurrent-index") == [(3, 1)]


def test_new_tables_carry_across_a_pending_set_only():
    files = [src("20240101000000_a.sql", "create table t (a int);\nalter table t enable row level security;"),
             src("20240102000000_b.sql", "create index t_a_idx on t (a);")]
    assert not lint_files(files, pending=True).by_rule("require-concurrent-index")
    # without knowing the files are pending (linting everything), t exists already in production
    assert lint_files(files, pending=False).by_rule("require-concurrent-index")


def test_indexes_built_earlier_carry_across_a_pending_set_only():
    files = [src("20240101000000_a.sql", "create index concurrently profiles_tmp_idx on profiles (email);"),
             src("20240102000000_b.sql", "drop index profiles_tmp_idx;\ndrop index profiles_old_idx;")]
    assert where(lint_files(files, pending=True), "require-concurrent-index-drop") == [(2, 1)]
    assert where(lint_files(files, pending=False), "require-concurrent-index-drop") == [(1, 1), (2, 1)]


def test_indexes_named_after_a_new_table_are_new():
    sql = ("create table t (id bigint primary key, email text unique);\nalter table t enable row level security;\n"
           "create index on t (lower(email));\ndrop index t_email_key;\ndrop index t_lower_idx1;\n"
           "drop index t_pkey_old;\ndrop index tt_a_idx;")
    assert where(lint_sql(sql), "require-concurrent-index-drop") == [(6, 1), (7, 1)]


def test_quoted_and_schema_qualified_names_are_distinct():
    sql = ('create table "App"."Orders" (id bigint);\n'
           'create index on "App"."Orders" (id);\n'  # the new table
           'create index on app.orders (id);\n'  # another, existing table
           'create index on "Orders" (id);\n')  # public."Orders": existing too
    assert where(lint_sql(sql), "require-concurrent-index") == [(3, 1), (4, 1)]


def test_each_alter_table_subcommand_is_judged_at_its_own_position():
    sql = ("alter table profiles\n"
           "  add column nickname text,\n"
           "  drop column legacy,\n"
           "  alter column age type bigint,\n"
           "  add column plan text not null,\n"
           "  add constraint age_positive check (age > 0);")
    result = lint_sql(sql)
    assert where(result, "drop-column") == [(3, 3)]
    assert where(result, "alter-column-type") == [(4, 3)]
    assert where(result, "add-column-not-null") == [(5, 14)]
    assert where(result, "constraint-not-valid") == [(6, 7)]


def test_renamed_new_table_stays_new():
    sql = "create table draft (a int);\nalter table draft rename to final;\ncreate index on final (a);"
    assert not lint_sql(sql).by_rule("require-concurrent-index")


def test_validated_check_in_an_applied_migration_allows_set_not_null():
    applied = [src("20240101000000_check.sql",
                   "alter table profiles add constraint email_nn check (email is not null) not valid;"),
               src("20240102000000_validate.sql", "alter table profiles validate constraint email_nn;")]
    pending = [src("20240103000000_nn.sql", "alter table profiles alter column email set not null;")]
    assert not lint_files(pending, others=applied, pending=True).by_rule("set-not-null")
    assert lint_files(pending, others=applied[:1], pending=True).by_rule("set-not-null")  # never validated


def test_drop_and_recreate_view_in_one_transaction_is_a_replace():
    ok = "drop view v;\ncreate view v as select 1 as a, 2 as b;"
    assert not lint_sql(ok).by_rule("drop-object")
    changed_signature = "drop function f(int);\ncreate function f(bigint) returns int language sql as 'select 1';"
    assert lint_sql(changed_signature).by_rule("drop-object")


def test_lock_timeout_set_in_the_file():
    config = LintConfig(enable=frozenset({"require-lock-timeout"}))
    assert lint_sql("alter table t add column a int;", config=config).by_rule("require-lock-timeout")
    sql = "set lock_timeout = '3s';\nalter table t add column a int;"
    assert not lint_sql(sql, config=config).by_rule("require-lock-timeout")
    sql = "set lock_timeout = '3s';\nreset lock_timeout;\nalter table t add column a int;"
    assert lint_sql(sql, config=config).by_rule("require-lock-timeout")
    # off by default: pgrelease push sets lock_timeout itself
    assert not lint_sql("alter table t add column a int;").by_rule("require-lock-timeout")


def test_lock_timeout_is_reported_once_per_file_and_never_for_create_table():
    config = LintConfig(enable=frozenset({"require-lock-timeout"}))
    sql = "create table n (a int);\nalter table t add column a int;\nalter table u add column b int;"
    assert where(lint_sql(sql, config=config), "require-lock-timeout") == [(2, 1)]


# --- no-transaction awareness ------------------------------------------------------------------


def test_execution_mode_is_the_runners(project):
    project.add("20240101000000", "plain", "create table t (a int);\ninsert into t values (1);")
    project.add("20240102000000", "auto", "alter table t add column b int;\ncreate index concurrently i on t (b);")
    project.add("20240103000000", "directive", "-- pgrelease: no-transaction\ncreate index concurrently if not exists j on t (a);")
    migrations = discover(project.root).files
    result = lint_files(migrations)
    runner = {m.display_path: parse_migration(m).no_transaction for m in migrations}
    assert {f.file: f.no_transaction for f in result.files} == runner
    assert runner["supabase/migrations/20240101000000_plain.sql"] is None
    assert all(runner[f"supabase/migrations/{n}"] for n in ("20240102000000_auto.sql", "20240103000000_directive.sql"))


def test_concurrently_is_right_in_a_no_transaction_file():
    result = lint_sql("-- pgrelease: no-transaction\ncreate index concurrently if not exists i on profiles (email);")
    assert result.findings == []


def test_auto_detected_no_transaction_file_is_a_warning_not_an_error():
    result = lint_sql("alter table profiles add column b int;\ncreate index concurrently if not exists i on profiles (b);")
    [finding] = result.by_rule("no-transaction-implicit")
    assert finding.severity == "warning" and (finding.line, finding.column) == (2, 1)
    assert "outside a transaction" in finding.message and result.ok


def test_rerun_safety_matters_only_outside_a_transaction():
    sql = "create table t (a int);\ncreate index t_a on t (a);\nalter table t add column b int;"
    assert not lint_sql(sql).by_rule("require-if-not-exists")
    result = lint_sql("-- pgrelease: no-transaction\n" + sql)
    assert where(result, "require-if-not-exists") == [(2, 1), (3, 1), (4, 1)]


def test_transaction_control_is_reported_not_raised():
    result = lint_sql("begin;\ncreate table t (a int);\nsavepoint s;\nrollback;")
    assert where(result, "transaction-control") == [(3, 1), (4, 1)]
    assert result.by_rule("require-rls")  # the rest of the file is still checked


# --- dollar quotes, comments, strings ----------------------------------------------------------


def test_ddl_inside_bodies_comments_and_strings_is_not_a_finding():
    sql = """
-- drop table profiles;
/* alter table profiles drop column email; /* nested */ truncate profiles; */
create or replace function public.cleanup() returns void
language plpgsql set search_path = '' as $body$
begin
  drop table profiles;
  execute 'alter table profiles drop column email';
  delete from profiles;
  create index on profiles (email);
end
$body$;
do $$ begin truncate audit_log; update profiles set a = 1; end $$;
comment on table public.notes is 'drop table notes; -- just words';
select $q$alter table profiles rename to users$q$;
"""
    assert lint_sql(sql).findings == []


def test_begin_atomic_body_is_not_transaction_control():
    sql = "create function f() returns int language sql begin atomic select 1; select 2; end;"
    assert lint_sql(sql).findings == []


def test_begin_atomic_bodies_split_like_the_server_does():
    # labels named end / case and identifiers around non-ASCII letters do not close the body
    sql = ("create function f() returns int language sql begin atomic\n  select 1 as end;\n  select 2 case;\n"
           "  select 3 as 😀end;\nend;\ncreate function g() returns text language sql as $a😀$ select 'x;' $a😀$;")
    result = lint_sql(sql)
    assert result.findings == [] and result.statements == 2


def test_concurrently_inside_a_body_is_reported_at_the_statement():
    sql = ("select 1;\ndo $$\nbegin\n  execute format('create index concurrently %I on profiles (email)', 'i');\n"
           "end $$;")
    assert where(lint_sql(sql), "concurrently-in-body") == [(2, 1)]


# --- ignores -----------------------------------------------------------------------------------


def test_ignore_with_reason_silences_that_rule_for_that_statement():
    sql = ("-- pgrelease: ignore drop-table retired in #123 after the v2 cutover\n"
           "drop table legacy;\n"
           "drop table other;")
    result = lint_sql(sql)
    assert where(result, "drop-table") == [(3, 1)] and not result.by_rule("ignore-comment")


def test_ignore_several_rules_and_other_rules_still_fire():
    sql = ("-- context line\n"
           "-- pgrelease: ignore drop-column,alter-column-type cleanup approved in #456\n"
           "alter table profiles drop column a, alter column b type text, rename column c to d;\n"
           "alter table profiles rename column c to d;")
    result = lint_sql(sql)
    assert not result.by_rule("drop-column") and not result.by_rule("alter-column-type")
    assert where(result, "rename-column") == [(4, 13)]


def test_ignore_without_reason_still_ignores_but_warns_at_the_comment():
    result = lint_sql("select 1;\n\n-- pgrelease: ignore truncate\ntruncate audit_log;")
    assert not result.by_rule("truncate")
    [warning] = result.by_rule("ignore-comment")
    assert warning.severity == "warning" and warning.line == 3 and "no reason" in warning.message


def test_ignore_of_an_unknown_rule_warns_and_ignores_nothing():
    result = lint_sql("-- pgrelease: ignore truncat typo\ntruncate audit_log;")
    assert result.by_rule("truncate") and "unknown rule" in result.by_rule("ignore-comment")[0].message


def test_ignore_comment_inside_a_body_does_not_count():
    sql = "create function f() returns void language sql as $$\n-- pgrelease: ignore\nselect 1 $$;\ntruncate t;"
    result = lint_sql(sql)
    assert not result.by_rule("ignore-comment") and result.by_rule("truncate")


def test_file_level_rules_are_ignored_before_the_first_statement():
    files = {"20240101000000_late.sql": "-- pgrelease: ignore out-of-order hotfix applied by hand in prod\nselect 1;"}
    result = lint_example({"files": files, "applied": ["20240301000000"], "pending": True})
    assert not result.by_rule("out-of-order") and not result.by_rule("ignore-comment")


# --- configuration -----------------------------------------------------------------------------


def test_config_disable_severity_and_enable():
    sql = "create table t (id serial primary key, j json);\nalter table t enable row level security;\ndrop table old;"
    default = lint_sql(sql)
    assert {"prefer-identity", "prefer-jsonb", "drop-table"} <= set(rules(default)) and not default.ok
    config = LintConfig.from_mapping({"disable": ["prefer-identity"],
                                      "severity": {"drop-table": "warning", "prefer-jsonb": "error",
                                                   "prefer-bigint-pk": "off"}})
    result = lint_sql(sql, config=config)
    assert "prefer-identity" not in rules(result) and "prefer-bigint-pk" not in rules(result)
    assert result.by_rule("drop-table")[0].severity == "warning"
    assert result.by_rule("prefer-jsonb")[0].severity == "error"


def test_postgres_version_changes_the_default_rule():
    sql = "alter table profiles add column plan text default 'free';"
    assert not lint_sql(sql).by_rule("add-column-rewrite")
    old = LintConfig.from_mapping({"postgres_version": 10})
    assert lint_sql(sql, config=old).by_rule("add-column-rewrite")


@pytest.mark.parametrize("table,needle", [
    ({"disable": ["no-such-rule"]}, "unknown rule"),
    ({"severity": {"drop-table": "fatal"}}, "severity"),
    ({"postgres_version": "fifteen"}, "major version"),
    ({"colour": "red"}, "unknown key"),
    ({"enable": "require-lock-timeout"}, "list"),
])
def test_bad_config_is_a_usage_error(table, needle):
    with pytest.raises(UsageError) as info:
        LintConfig.from_mapping(table)
    assert needle in info.value.message and info.value.exit_code == 2


def test_config_is_read_from_pgrelease_toml(tmp_path):
    (tmp_path / "pgrelease.toml").write_text(
        '[lint]\npostgres_version = 17\nenable = ["require-lock-timeout"]\nexposed_schemas = ["public", "api"]\n'
        '[lint.severity]\nprefer-text = "error"\n')
    config = load_lint_config(tmp_path)
    assert config.postgres_version == 17 and config.exposed_schemas == ("public", "api")
    assert config.severity_of("require-lock-timeout", "warning", False) == "warning"
    assert config.severity_of("prefer-text", "warning") == "error"
    assert load_lint_config(tmp_path / "missing") == LintConfig()


# --- syntax errors -----------------------------------------------------------------------------


def test_syntax_errors_have_line_and_column_and_the_rest_is_still_checked():
    sql = ("create table ok (a int);\n"
           "alter table profiles\n"
           "  add colum nickname text;\n"
           "drop table profiles;\n"
           "select 1 frm t;\n")
    result = lint_sql(sql)
    assert where(result, "syntax-error") == [(3, 22), (5, 14)]
    assert 'at or near "text"' in result.by_rule("syntax-error")[0].message
    assert where(result, "drop-table") == [(4, 1)]


def test_text_that_cannot_be_utf8_is_a_syntax_error_not_a_crash():
    result = lint_sql("select 1;\nselect '\udce4';\ndrop table t;")
    assert [(f.rule, f.line) for f in result.findings] == [("syntax-error", 2), ("drop-table", 3)]
    assert "UTF-8" in result.findings[0].message


def test_syntax_error_column_counts_characters_not_bytes():
    result = lint_sql("select 'ééé' frm x;")  # frm is an alias; x is the error
    assert where(result, "syntax-error") == [(1, 18)]


def test_unrunnable_file_is_a_finding_with_its_line():
    result = lint_sql("select 1;\n\\i other.sql\n")
    [finding] = result.by_rule("syntax-error")
    assert finding.line == 2 and "meta-command" in finding.message


def test_findings_carry_everything_a_reviewer_needs():
    result = lint_sql("select 1;\n  alter table   profiles\n drop column email;", name="supabase/migrations/1_x.sql")
    [f] = result.findings
    assert (f.rule, f.severity, f.file, f.line, f.column) == ("drop-column", "error", "supabase/migrations/1_x.sql", 3, 2)
    assert f.excerpt == "alter table profiles drop column email"
    assert f.message and f.help
    assert set(f.to_dict()) == {"rule", "severity", "file", "line", "column", "message", "help", "excerpt"}


def test_counts_and_modes_in_the_result():
    result = lint_files([src("20240101000000_a.sql", "select 1;\nselect 2;"),
                         src("20240102000000_b.sql", "vacuum t;")])
    assert result.statements == 3 and [f.statements for f in result.files] == [2, 1]
    assert result.files[0].no_transaction is None and result.files[1].no_transaction


def test_node_positions_count_characters_after_non_ascii_text():
    sql = "comment on table t is 'ünïcödé';\nalter table \"tåble\" add column b int not null, add column c int not null;"
    result = lint_sql(sql)
    assert where(result, "add-column-not-null") == [(2, 32), (2, 59)]


def test_the_ast_prefilter_never_hides_a_statement_the_runner_would_flag():
    """The engine asks the runner's execution_mode only about statements whose node type can
    refuse a transaction block; every statement the runner flags must pass that filter."""
    import json

    from pglast.parser import parse_sql_json

    from pgrelease.lint.context import may_refuse_transaction
    from pgrelease.migrations.classify import non_transactional
    from pgrelease.migrations.split import split_sql
    from tests.migrations.test_classify import NON_TRANSACTIONAL

    for sql, _expected in NON_TRANSACTIONAL:
        (stmt,) = split_sql(sql)
        if non_transactional(stmt):
            (item,) = json.loads(parse_sql_json(stmt.sql))["stmts"]
            assert may_refuse_transaction(*next(iter(item["stmt"].items()))), sql


def test_a_syntax_error_can_be_ignored_like_any_finding():
    sql = ("-- pgrelease: ignore syntax-error PostgreSQL 19 syntax the linter's grammar does not know yet\n"
           "alter table t frobnicate;\nselect from where;")
    assert where(lint_sql(sql), "syntax-error") == [(3, 13)]


def test_schema_version_bump_is_reported_at_the_newest_schema_change_and_can_be_ignored():
    base = {"20240101000000_baseline.sql": "insert into bot_config (config_key, config_value) "
                                           "values ('schema_version', '{}');"}
    files = {"20240201000000_a.sql": "create table a (id bigint);",
             "20240202000000_b.sql": "insert into a values (1);\nalter table a add column b text;"}
    result = lint_example({"files": files, "others": base, "pending": True})
    [finding] = result.by_rule("schema-version-bump")
    assert (finding.file, finding.line) == ("supabase/migrations/20240202000000_b.sql", 2)
    files["20240202000000_b.sql"] = ("insert into a values (1);\n-- pgrelease: ignore schema-version-bump "
                                     "internal table, the app does not read it\nalter table a add column b text;")
    assert not lint_example({"files": files, "others": base, "pending": True}).by_rule("schema-version-bump")
