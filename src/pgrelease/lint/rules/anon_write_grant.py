"""anon-write-grant: GRANT of write privileges to anon (or PUBLIC)."""

from __future__ import annotations

from ..rule import TYPES, WARNING, Bad, Body, FileContext, Hit, Rule


class AnonWriteGrant(Rule):
    id = "anon-write-grant"
    category = TYPES
    severity = WARNING
    nodes = ("GrantStmt", "AlterDefaultPrivilegesStmt")
    doc = """\
On Supabase the `anon` role is whoever holds the public anon key, i.e. anyone. Granting it
`INSERT`, `UPDATE`, `DELETE`, `TRUNCATE` or `ALL` on tables means only RLS policies stand
between the internet and your data (and `TRUNCATE` ignores RLS altogether). `PUBLIC`
includes `anon`.

Reported for `GRANT` and `ALTER DEFAULT PRIVILEGES ... GRANT` on tables. It is a warning:
some apps do accept anonymous inserts (a contact form) behind a strict policy; say so with
`-- pgrelease: ignore anon-write-grant <reason>`."""
    help = "grant writes to authenticated (with RLS policies), not anon; or document the intent with an ignore comment"
    bad = [
        Bad("grant insert, select on public.messages to anon;",
            [(1, "GRANT INSERT on tables to anon: anyone with the public anon key can write")]),
        Bad("grant all on all tables in schema public to anon, authenticated;",
            [(1, "GRANT ALL on tables to anon: anyone with the public anon key can write")]),
        Bad("grant update (body) on posts to public;",
            [(1, "GRANT UPDATE on tables to PUBLIC (which includes anon): anyone with the public anon key can write")]),
        Bad("alter default privileges in schema public grant delete on tables to anon;",
            [(1, "GRANT DELETE on tables to anon: anyone with the public anon key can write")]),
    ]
    good = [
        "grant select on public.posts to anon;",
        "grant insert, update on public.posts to authenticated;",
        "revoke insert on public.posts from anon;",
        "grant usage on schema public to anon;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        grant = node.get("action") if ctx.kind == "AlterDefaultPrivilegesStmt" else node
        if not grant or not grant.get("is_grant") or grant.get("objtype") not in _TABLES:
            return []
        privileges = [p.get("AccessPriv", {}).get("priv_name", "") for p in grant.get("privileges", ())]
        writes = ["ALL"] if not privileges else [p.upper() for p in privileges if p.lower() in _WRITES]
        if not writes:
            return []
        out = []
        for item in grant.get("grantees", ()):
            role = item.get("RoleSpec", {})
            if role.get("roletype") == "ROLESPEC_PUBLIC":
                who = "PUBLIC (which includes anon)"
            elif role.get("rolename") == "anon":
                who = "anon"
            else:
                continue
            out.append(ctx.hit(f"GRANT {', '.join(writes)} on tables to {who}: "
                               "anyone with the public anon key can write", role))
        return out


_WRITES = frozenset({"insert", "update", "delete", "truncate"})
_TABLES = frozenset({"OBJECT_TABLE"})
