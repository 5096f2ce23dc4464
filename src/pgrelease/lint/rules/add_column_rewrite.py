"""add-column-rewrite: ADD COLUMN that rewrites an existing table (volatile default, serial, ...)."""

from __future__ import annotations

from ..ast import Body, constraints, func_name, qualified, quote_ident, type_names
from ..rule import ERROR, LOCKS, Bad, FileContext, Hit, Rule


class AddColumnRewrite(Rule):
    id = "add-column-rewrite"
    category = LOCKS
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
Since PostgreSQL 11, `ADD COLUMN ... DEFAULT <value>` is instant when the default is not
volatile: the value is stored once in the catalog. A *volatile* default (`random()`,
`gen_random_uuid()`, `clock_timestamp()`, `nextval()`, or any function the linter cannot
vouch for), a `serial` type, an identity column or a stored generated column makes
PostgreSQL rewrite the whole table under an ACCESS EXCLUSIVE lock: every read and write
waits for the rewrite. Before PostgreSQL 11 any non-null default rewrites the table.

The rule is version-aware: set `[lint] postgres_version` (default 15) to your target's
major version. `now()` / `CURRENT_TIMESTAMP` are stable, not volatile: instant.

Each subcommand of a multi-part `ALTER TABLE` is judged; a table created in the same
migration is not a finding.

Safe alternative: add the column without a default (or with a constant one), set the
volatile default afterwards with `ALTER COLUMN ... SET DEFAULT` (it applies to new rows
only), and backfill existing rows in batches."""
    help = ("add the column without the volatile default, then ALTER COLUMN ... SET DEFAULT (new rows only) "
            "and backfill existing rows in batches")
    bad = [
        Bad("alter table profiles add column token uuid default gen_random_uuid();",
            [(1, "its default gen_random_uuid() is volatile")]),
        Bad("alter table profiles add column seq bigserial;",
            [(1, "the bigserial type adds a nextval() default, which is volatile")]),
        Bad("alter table profiles add column n int generated always as identity;",
            [(1, "an identity column fills every existing row")]),
        Bad('alter table app."Orders" add column note text, '
            'add column total numeric generated always as (price * qty) stored;',
            [(1, "a stored generated column is computed for every existing row")]),
        Bad("alter table profiles add column score int default my_func();",
            [(1, "its default my_func() may be volatile (the linter cannot tell; functions are VOLATILE unless")]),
        Bad({"sql": "alter table profiles add column plan text default 'free';", "config": {"postgres_version": 10}},
            [(1, "before PostgreSQL 11 (target: 10) any default rewrites the table")]),
    ]
    good = [
        "alter table profiles add column plan text default 'free';",
        "alter table profiles add column created_at timestamptz not null default now();",
        "alter table profiles add column tags text[] default '{}'::text[];",
        "create table t (a int);\nalter table t add column token uuid default gen_random_uuid();",
        "alter table profiles add column token uuid;\n"
        "alter table profiles alter column token set default gen_random_uuid();",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        out = []
        for i, _, sub in ctx.existing_table_cmds(node, "AT_AddColumn"):
            col = sub.get("def", {}).get("ColumnDef", {})
            name = f"{qualified(relation)}.{quote_ident(col.get('colname', ''))}"
            why = None
            parts = type_names(col.get("typeName"))
            if len(parts) == 1 and parts[0] in ("serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"):
                why = f"the {parts[0]} type adds a nextval() default, which is volatile"
            for con in constraints(col):
                contype = con.get("contype")
                if contype == "CONSTR_IDENTITY":
                    why = "an identity column fills every existing row"
                elif contype == "CONSTR_GENERATED" and con.get("generated_kind", "s") != "v":
                    why = "a stored generated column is computed for every existing row"
                elif contype == "CONSTR_DEFAULT" and not _is_null(con.get("raw_expr")):
                    if ctx.pg_version < 11:
                        why = f"before PostgreSQL 11 (target: {ctx.pg_version}) any default rewrites the table"
                    else:
                        rewrites, reason = volatility(con.get("raw_expr"))
                        if rewrites:
                            why = f"its default {reason}"
            if why:
                out.append(ctx.hit(f"adding {name} rewrites the whole table under an ACCESS EXCLUSIVE lock: {why}",
                                   col))
        return out


# Functions known not to be volatile (immutable or stable): a default calling them is instant.
_STABLE = frozenset({
    "now", "transaction_timestamp", "statement_timestamp", "current_setting", "current_date", "current_time",
    "current_timestamp", "localtimestamp", "localtime", "current_user", "current_schema", "session_user",
    "lower", "upper", "trim", "btrim", "ltrim", "rtrim", "concat", "concat_ws", "length", "substr", "substring",
    "replace", "format", "coalesce", "nullif", "greatest", "least", "abs", "round", "floor", "ceil", "ceiling",
    "to_jsonb", "to_json", "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array",
    "array_fill", "make_interval", "make_date", "make_timestamp", "make_timestamptz", "date_trunc", "timezone",
    "to_timestamp", "to_date", "to_char", "md5", "uid", "jwt",
    "array_length", "cardinality", "jsonb_object", "json_object", "int4range", "int8range", "tstzrange",
    "daterange", "numrange", "point", "inet", "cidr", "interval",
})
_VOLATILE = frozenset({
    "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7",
    "clock_timestamp", "timeofday", "nextval", "setseed", "gen_random_bytes", "random_normal", "txid_current",
    "pg_current_xact_id",
})


def volatility(expr: Body | None) -> tuple[bool, str | None]:
    """(rewrites, why) for a DEFAULT expression."""
    if not expr:
        return False, None
    stack = [expr]
    unknown: str | None = None
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        call = node.get("FuncCall")
        if call is not None:
            name = func_name(call)
            if name in _VOLATILE:
                return True, f"{name}() is volatile"
            if name not in _STABLE and unknown is None:
                unknown = (f"{name}() may be volatile "
                           "(the linter cannot tell; functions are VOLATILE unless declared otherwise)")
        if "SubLink" in node:
            return True, "a subquery default is not a constant"
        stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    if unknown:
        return True, unknown
    return False, None


def _is_null(expr: Body | None) -> bool:
    return bool(expr) and expr.get("A_Const", {}).get("isnull", False)
