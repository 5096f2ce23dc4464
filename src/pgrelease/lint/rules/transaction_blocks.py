"""transaction-blocks: a file with BEGIN/COMMIT blocks of its own runs block by block."""

from __future__ import annotations

from ..rule import ROBUSTNESS, WARNING, Bad, FileContext, Hit, Rule


class TransactionBlocks(Rule):
    id = "transaction-blocks"
    category = ROBUSTNESS
    severity = WARNING
    doc = """\
A file with several `BEGIN ... COMMIT` blocks, or with statements outside its block, runs
as psql runs it (the runner's own code, `migrations.parse`, decides for the runner and for
this linter): each block in a transaction of its own, each statement outside a block on
its own, the history row written with the last block (or after the last statement). That
is what `ALTER TYPE ... ADD VALUE` needs when a later statement uses the new value: the
value must be committed first.

But the file is no longer all or nothing. If its third block fails, the first two stay
committed and the history row is not written, so the next push runs them again: they must
survive a second run (`ALTER TYPE ... ADD VALUE IF NOT EXISTS`, `CREATE ... IF NOT EXISTS`;
`require-if-not-exists` checks the statements it knows). The Supabase CLI, for its part,
may skip the rest of such a file and every later file (supabase/cli#5047).

Silent for a file that is one `BEGIN ... COMMIT` block from start to end (it runs in one
transaction like any other file) and for a file whose first line says
`-- pgrelease: no-transaction` (its author chose to give up atomicity).

Safe alternative: one migration per block (each is then one transaction with its history
row), or re-runnable blocks."""
    help = ("split the blocks into migrations of their own (each then runs in one transaction with its history row), "
            "or make every block re-runnable (ADD VALUE IF NOT EXISTS, IF NOT EXISTS)")
    bad = [
        Bad("begin;\ncreate type public.status as enum ('draft');\ncommit;\n"
            "begin;\nalter type public.status add value 'published';\ncommit;",
            [(1, "2 BEGIN/COMMIT block(s) each commit on their own")]),
        Bad("create table t (a int);\nbegin;\ninsert into t values (1);\ncommit;",
            [(2, "1 BEGIN/COMMIT block(s) and 1 statement(s) outside them each commit on their own")]),
        Bad("begin;\nalter type mood add value if not exists 'meh';\ncommit;\n"
            "update people set mood = 'meh' where mood is null;",
            [(1, "1 BEGIN/COMMIT block(s) and 1 statement(s) outside them each commit on their own")]),
    ]
    good = [
        "begin;\ncreate table t (a int);\ncommit;",
        "create table t (a int);",
        "-- pgrelease: no-transaction\nbegin;\nalter type mood add value if not exists 'meh';\ncommit;\n"
        "update people set mood = 'meh' where mood is null;",
    ]

    def finish_file(self, ctx: FileContext) -> list[Hit]:
        execution = ctx.execution
        if execution is None or not execution.blocks or execution.layout.refused or "no-transaction" in ctx.directives:
            return []
        blocks = execution.blocks
        explicit = [b for b in blocks if b.explicit]
        alone = len(blocks) - len(explicit)
        first = explicit[0].begin if explicit else blocks[0].statements[0]
        index = next(i for i, stmt in enumerate(ctx.statements) if stmt is first)
        ctx.at_statement(index, ctx.base_of(index))
        what = f"{len(explicit)} BEGIN/COMMIT block(s)" + (f" and {alone} statement(s) outside them" if alone else "")
        return [ctx.hit(f"this file runs block by block as written: {what} each commit on their own; if a later "
                        "one fails, the earlier ones stay applied and the history row is not written, so the next "
                        "push runs them again")]
