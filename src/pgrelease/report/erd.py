"""A Mermaid ER diagram of the tables a pull request's pending migrations create or alter.

Two steps, kept apart so each can be tested on its own:

``table_changes(statements)``
    reads the pending statements (pglast JSON ASTs, the linter's helpers) and says per table
    what they did: created, columns added / changed / removed, dropped.
``er_diagram(snapshot, changes)``
    draws those tables from the catalog snapshot of the shadow database after the replay
    (columns, types, keys), together with the tables they reference or that reference them by
    foreign key (drawn with their key columns only), and marks each changed column.

The text is Mermaid's ``erDiagram`` (GitHub renders a ```mermaid block); it is written in
the part of the grammar that Mermaid 10, 11 and 12 all accept:

* entity names are ``schema__table`` made of ``[A-Za-z0-9_]`` (other characters become
  ``_``; a clash gets a ``_2`` suffix), never starting with a digit;
* attribute types and names are single words of the same characters (``timestamp with time
  zone`` -> ``timestamptz``, ``varchar(20)`` -> ``varchar``, ``text[]`` -> ``text_array``);
  a name Mermaid would read as a key (``pk``, ``fk``, ``uk``) gets a trailing ``_``; a name
  that had to change is spelt as written in SQL in the attribute comment;
* comments and relationship labels are double-quoted and hold no ``"``, ``%``, ``#``,
  ``;`` or backslash (Mermaid's lexer or its entity decoding would trip on them);
* notes (tables left out, dropped tables) are ``%%`` comment lines: valid, not rendered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from pglast.parser import parse_sql_json

from ..catalog import model as m
from ..catalog.snapshot import Snapshot
from ..lint.ast import Body, alter_cmds, drop_relations, names, relation_key

__all__ = ["TableChange", "er_diagram", "mermaid_type", "table_changes"]

TableKey = tuple[str, str]  # (schema, table) as the server stores them: unquoted, case kept

ADDED, CHANGED, REMOVED = "added", "changed", "removed"


@dataclass
class TableChange:
    """What the pending statements did to one table (column names as stored, unquoted)."""

    schema: str
    name: str
    created: bool = False
    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    dropped: bool = False
    renamed: dict[str, str] = field(default_factory=dict)  # new column name -> name before the migrations

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)

    def mark(self, column: str) -> str | None:
        """``added`` / ``changed`` / ``removed`` for a column, None when untouched."""
        if self.created or column in self.added:
            return ADDED
        if column in self.changed:
            return CHANGED
        if column in self.removed:
            return REMOVED
        return None


# --- what the statements did -----------------------------------------------------------------

#: ALTER TABLE ... ALTER COLUMN subcommands that change what a column holds or accepts.
_CHANGING = frozenset({
    "AT_AlterColumnType", "AT_ColumnDefault", "AT_DropNotNull", "AT_SetNotNull", "AT_SetExpression",
    "AT_DropExpression", "AT_AddIdentity", "AT_SetIdentity", "AT_DropIdentity",
})


class _Changes:
    def __init__(self) -> None:
        self.tables: dict[TableKey, TableChange] = {}
        self.moved: set[TableKey] = set()  # renamed or moved tables: drawn even without column changes

    def get(self, key: TableKey) -> TableChange:
        change = self.tables.get(key)
        if change is None:
            change = self.tables[key] = TableChange(*key)
        return change

    # CREATE TABLE, CREATE TABLE ... PARTITION OF / LIKE / INHERITS, CREATE TABLE AS
    def create(self, key: TableKey, columns: Iterable[str]) -> None:
        self.tables.pop(key, None)  # DROP then CREATE: a new table
        change = self.get(key)
        change.created = True
        change.added.update(columns)

    def columns_of_new(self, rangevar: Body | None) -> set[str]:
        """Columns a CREATE TABLE copies from a table created by the same statements."""
        parent = self.tables.get(relation_key(rangevar))
        return set(parent.added) if parent is not None and parent.created else set()

    def add_column(self, key: TableKey, column: str) -> None:
        change = self.get(key)
        if change.created:
            change.added.add(column)
        elif column in change.removed:  # dropped and added again: the same name, new contents
            change.removed.discard(column)
            change.changed.add(column)
        else:
            change.added.add(column)

    def drop_column(self, key: TableKey, column: str) -> None:
        change = self.get(key)
        if column in change.added:  # added by these statements: nothing left to show
            change.added.discard(column)
            original = change.renamed.pop(column, None)
            if original is not None:
                change.removed.add(original)
            return
        change.changed.discard(column)
        if not change.created:
            change.removed.add(column)

    def change_column(self, key: TableKey, column: str) -> None:
        change = self.get(key)
        if not change.created and column not in change.added:
            change.changed.add(column)

    def rename_column(self, key: TableKey, old: str, new: str) -> None:
        change = self.get(key)
        if change.created:
            change.added.discard(old)
            change.added.add(new)
            return
        if old in change.added:  # added, or renamed already, by these statements
            change.added.discard(old)
            original = change.renamed.pop(old, None)  # None: added by these statements
        else:
            change.changed.discard(old)
            original = old
        if original is None:
            change.added.add(new)
        elif original == new:  # renamed back: the column as it was
            change.removed.discard(new)
        else:
            change.removed.add(original)
            change.added.add(new)
            change.renamed[new] = original

    def move(self, old: TableKey, new: TableKey) -> None:
        """ALTER TABLE ... RENAME TO / SET SCHEMA: later statements use the new name."""
        change = self.tables.pop(old, None)
        if change is None:
            change = TableChange(*new)
        change.schema, change.name = new
        self.tables[new] = change
        self.moved.discard(old)
        self.moved.add(new)

    def drop_table(self, key: TableKey) -> None:
        change = self.tables.pop(key, None)
        if change is not None and change.created:
            return  # created and dropped again by these statements
        self.tables[key] = TableChange(*key, dropped=True)


def _parse(sql: str) -> list[tuple[str, Body]]:
    try:
        tree = json.loads(parse_sql_json(sql))
    except Exception:  # noqa: BLE001 - a statement the parser refuses is the linter's to report
        return []
    out = []
    for item in tree.get("stmts", ()):
        for kind, body in item.get("stmt", {}).items():
            out.append((kind, body))
    return out


def _is_temporary(rangevar: Body | None) -> bool:
    return bool(rangevar) and rangevar.get("relpersistence") == "t"


def _select_columns(body: Body) -> list[str]:
    """Column names of CREATE TABLE AS, as far as the statement spells them."""
    into = body.get("into", {})
    given = names(into.get("colNames"))
    if given:
        return list(given)
    select = body.get("query", {}).get("SelectStmt", {})
    out = []
    for target in select.get("targetList", ()):
        res = target.get("ResTarget", {})
        if res.get("name"):
            out.append(res["name"])
            continue
        fields = names(res.get("val", {}).get("ColumnRef", {}).get("fields"))
        if fields and fields[-1] != "*":
            out.append(fields[-1])
    return out


def _apply(state: _Changes, kind: str, body: Body) -> None:
    if kind == "CreateStmt":
        rel = body.get("relation")
        if _is_temporary(rel) or body.get("ofTypename"):
            return
        columns: set[str] = set()
        for elt in body.get("tableElts", ()):
            if "ColumnDef" in elt:
                columns.add(elt["ColumnDef"].get("colname", ""))
            elif "TableLikeClause" in elt:
                columns |= state.columns_of_new(elt["TableLikeClause"].get("relation"))
        for parent in body.get("inhRelations", ()):  # PARTITION OF, INHERITS
            columns |= state.columns_of_new(parent.get("RangeVar"))
        state.create(relation_key(rel), columns - {""})
    elif kind == "CreateTableAsStmt":
        into = body.get("into", {})
        if body.get("objtype") == "OBJECT_TABLE" and not _is_temporary(into.get("rel")):
            state.create(relation_key(into.get("rel")), _select_columns(body))
    elif kind == "AlterTableStmt":
        if body.get("objtype") != "OBJECT_TABLE":
            return
        key = relation_key(body.get("relation"))
        for _, subtype, cmd in alter_cmds(body):
            if subtype == "AT_AddColumn":
                col = cmd.get("def", {}).get("ColumnDef", {})
                if col.get("colname"):
                    state.add_column(key, col["colname"])
            elif subtype == "AT_DropColumn" and cmd.get("name"):
                state.drop_column(key, cmd["name"])
            elif subtype in _CHANGING and cmd.get("name"):
                state.change_column(key, cmd["name"])
    elif kind == "RenameStmt":
        rel = body.get("relation")
        if body.get("renameType") == "OBJECT_COLUMN" and body.get("relationType") == "OBJECT_TABLE":
            state.rename_column(relation_key(rel), body.get("subname", ""), body.get("newname", ""))
        elif body.get("renameType") == "OBJECT_TABLE":
            key = relation_key(rel)
            state.move(key, (key[0], body.get("newname", "")))
    elif kind == "AlterObjectSchemaStmt":
        if body.get("objectType") == "OBJECT_TABLE":
            key = relation_key(body.get("relation"))
            state.move(key, (body.get("newschema", ""), key[1]))
    elif kind == "DropStmt":
        if body.get("removeType") == "OBJECT_TABLE":
            for rel in drop_relations(body):
                state.drop_table(relation_key(rel))


def table_changes(statements: Iterable[str]) -> dict[TableKey, TableChange]:
    """What ``statements`` (the pending migrations' SQL, in order) do to tables.

    CREATE TABLE marks the table created with its columns added (columns it copies with
    LIKE / PARTITION OF / INHERITS are known only when that table is created by the same
    statements; ``er_diagram`` marks every column of a created table anyway); ALTER TABLE ADD /
    DROP COLUMN add / remove; ALTER COLUMN TYPE, SET / DROP DEFAULT, SET / DROP NOT NULL,
    generated expressions and identity change; RENAME COLUMN removes the old name and adds the
    new (``renamed`` remembers the old name); RENAME TO / SET SCHEMA move the table's entry to
    its new name (kept even without column changes); DROP TABLE drops. Temporary tables are
    left out, and so are tables whose net change is nothing (created and dropped again).
    Unqualified names are taken to be in ``public``. A statement that does not parse is
    skipped (the linter reports it); a ``Statement`` is read through its ``sql``.
    """
    state = _Changes()
    for statement in statements:
        sql = statement if isinstance(statement, str) else getattr(statement, "sql", "")
        for kind, body in _parse(sql):
            _apply(state, kind, body)
    return {
        key: change for key, change in state.tables.items()
        if change.created or change.dropped or change.added or change.changed or change.removed
        or key in state.moved
    }


# --- the catalog as the diagram needs it -----------------------------------------------------


def _unquote(ident: str) -> str:
    """An identifier as ``quote_ident`` printed it -> the stored name."""
    if len(ident) >= 2 and ident[0] == '"' and ident[-1] == '"':
        return ident[1:-1].replace('""', '"')
    return ident


@lru_cache(maxsize=4096)
def _constraint_ast(definition: str) -> Body:
    """The Constraint node body of a ``pg_get_constraintdef`` text ({} if it does not parse)."""
    for kind, body in _parse(f"ALTER TABLE t ADD {definition}"):
        if kind == "AlterTableStmt":
            for _, _, cmd in alter_cmds(body):
                return cmd.get("def", {}).get("Constraint", {})
    return {}


@lru_cache(maxsize=4096)
def _unique_index_columns(definition: str) -> tuple[str, ...] | None:
    """Plain columns of a unique, non-partial index on columns only; else None."""
    for kind, body in _parse(definition):
        if kind != "IndexStmt" or not body.get("unique") or body.get("whereClause"):
            return None
        cols = []
        for param in body.get("indexParams", ()):
            name = param.get("IndexElem", {}).get("name")
            if not name:
                return None
            cols.append(name)
        return tuple(cols)
    return None


@lru_cache(maxsize=1024)
def _qualified_name(text: str) -> TableKey:
    """``public."My Table"`` -> ("public", "My Table")."""
    for kind, body in _parse(f"SELECT FROM {text}"):
        if kind == "SelectStmt":
            for item in body.get("fromClause", ()):
                if "RangeVar" in item:
                    return relation_key(item["RangeVar"])
    return ("", text)


@dataclass(frozen=True)
class _Column:
    name: str
    type: str  # as format_type prints it
    not_null: bool
    position: int


@dataclass(frozen=True)
class _ForeignKey:
    name: str
    table: TableKey
    columns: tuple[str, ...]
    references: TableKey
    ref_columns: tuple[str, ...]


@dataclass
class _Table:
    key: TableKey
    columns: dict[str, _Column] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    unique: list[tuple[str, ...]] = field(default_factory=list)
    foreign_keys: list[_ForeignKey] = field(default_factory=list)
    partition_of: TableKey | None = None

    def ordered_columns(self) -> list[_Column]:
        return sorted(self.columns.values(), key=lambda c: c.position)


class _Catalog:
    """Tables, columns and keys of a snapshot, keyed by unquoted (schema, name)."""

    def __init__(self, snap: Snapshot) -> None:
        self.tables: dict[TableKey, _Table] = {}
        self.referencing: dict[TableKey, list[_ForeignKey]] = {}
        # ALTER TABLE also renames a view's columns: those are not tables to draw
        self.views = {(_unquote(v.schema), _unquote(v.name))
                      for kind in ("view", "materialized view") for v in snap.of_kind(kind)
                      if isinstance(v, m.View)}
        for obj in snap.of_kind("table"):
            assert isinstance(obj, m.Table)
            table = self._table((_unquote(obj.schema), _unquote(obj.name)))
            if obj.partition_of:
                table.partition_of = _qualified_name(obj.partition_of)
        columns = [*snap.of_kind("column"), *snap.inherited_columns.values()]
        for col in columns:
            assert isinstance(col, m.Column)
            table = self._table((_unquote(col.schema), _unquote(col.table)))
            name = _unquote(col.name)
            table.columns[name] = _Column(name, col.type, col.not_null, col.position)
        for con in snap.of_kind("constraint"):
            assert isinstance(con, m.Constraint)
            key = (_unquote(con.schema), _unquote(con.table))
            ast = _constraint_ast(con.definition)
            if not ast:
                continue
            table = self._table(key)
            contype = ast.get("contype")
            if contype == "CONSTR_PRIMARY":
                table.primary_key = names(ast.get("keys"))
                table.unique.append(table.primary_key)
            elif contype == "CONSTR_UNIQUE":
                table.unique.append(names(ast.get("keys")))
            elif contype == "CONSTR_FOREIGN":
                pktable = ast.get("pktable")
                ref = relation_key(pktable) if pktable and pktable.get("schemaname") else (
                    _qualified_name(con.references) if con.references else relation_key(pktable))
                fk = _ForeignKey(_unquote(con.name), key, names(ast.get("fk_attrs")), ref,
                                 names(ast.get("pk_attrs")))
                table.foreign_keys.append(fk)
                self.referencing.setdefault(ref, []).append(fk)
        for idx in snap.of_kind("index"):
            assert isinstance(idx, m.Index)
            if idx.unique and idx.predicate is None:
                cols = _unique_index_columns(idx.definition)
                if cols:
                    self._table(_qualified_name(idx.table)).unique.append(cols)
        # A partition's keys are its parent's (the cloned constraints are left out of snapshots).
        for table in self.tables.values():
            parent = self.tables.get(table.partition_of) if table.partition_of else None
            if parent is not None and not table.primary_key:
                table.primary_key = parent.primary_key
                table.unique.extend(parent.unique)

    def _table(self, key: TableKey) -> _Table:
        table = self.tables.get(key)
        if table is None:
            table = self.tables[key] = _Table(key)
        return table


# --- Mermaid spelling ---------------------------------------------------------------------------

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_KEY_WORDS = frozenset({"pk", "fk", "uk"})  # Mermaid's lexer reads these as key markers
_TEXT_DROPPED = str.maketrans({c: "'" if c == '"' else " " for c in '"%#;\\\r\n\t\v\f\b'})

#: Internal type names (what the parser normalises to) back to the names people write.
_TYPE_NAMES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real", "float8": "float8",
    "bool": "boolean", "bpchar": "char",
}


def _word(text: str) -> str:
    """``text`` as one Mermaid word: ``[A-Za-z0-9_]``, not starting with a digit."""
    out = "".join(c if c in _WORD_CHARS else "_" for c in text) or "_"
    if out[0].isdigit():
        out = "_" + out
    if out.lower() in _KEY_WORDS:
        out += "_"
    return out


def _text(text: str) -> str:
    """Free text for a quoted comment or label."""
    return " ".join(text.translate(_TEXT_DROPPED).split())


@lru_cache(maxsize=4096)
def mermaid_type(type_text: str) -> str:
    """A column type as ``format_type`` prints it -> one Mermaid word.

    ``timestamp(3) with time zone`` -> ``timestamptz``, ``character varying(20)`` ->
    ``varchar``, ``text[]`` -> ``text_array``, ``public."My Type"`` -> ``My_Type``.
    """
    for kind, body in _parse(f"SELECT NULL::{type_text}"):
        if kind != "SelectStmt":
            break
        targets = body.get("targetList", ())
        cast = targets[0].get("ResTarget", {}).get("val", {}).get("TypeCast") if targets else None
        type_name = cast.get("typeName") if cast else None
        if not type_name:
            break
        parts = names(type_name.get("names"))
        if not parts:
            break
        base = parts[-1]
        if len(parts) > 1 and parts[0] == "pg_catalog":
            base = _TYPE_NAMES.get(base, base)
        if type_name.get("arrayBounds"):
            base += "_array"
        return _word(base)
    return _word(type_text)


class _Names:
    """Entity names, unique within one diagram."""

    def __init__(self) -> None:
        self.by_key: dict[TableKey, str] = {}
        self.used: set[str] = set()

    def __call__(self, key: TableKey) -> str:
        name = self.by_key.get(key)
        if name is None:
            base = f"{_word(key[0])}__{_word(key[1])}"
            name, n = base, 1
            while name.lower() in self.used:
                n += 1
                name = f"{base}_{n}"
            self.used.add(name.lower())
            self.by_key[key] = name
        return name


def _dotted(key: TableKey) -> str:
    return ".".join(key)


# --- the diagram ---------------------------------------------------------------------------------


def _is_unique(table: _Table | None, columns: Iterable[str]) -> bool:
    cols = set(columns)
    return table is not None and any(key and set(key) <= cols for key in table.unique)


def er_diagram(snapshot: Snapshot, changes: Mapping[TableKey, TableChange], *, max_tables: int = 25) -> str | None:
    """Mermaid ``erDiagram`` text (without the fence) of the changed tables and their
    foreign-key neighbours; None when no table that still exists changed.

    ``snapshot`` is the shadow database after the replay (``pgrelease.catalog.snapshot``).
    Changed tables show every column with its type, PK / FK / UK markers and, in the attribute
    comment, ``added`` / ``changed`` / ``removed`` (removed columns are not in the snapshot:
    they are drawn at the end, typed ``unknown`` unless a rename tells the type; every column
    of a created table is ``added``). Neighbours (tables a changed table references, or that
    reference one) show their key columns only: primary key and the columns of the drawn
    foreign keys. A table outside the snapshot (a schema it leaves out, such as Supabase's
    ``auth``) is drawn from the foreign key that names it. Relationships come from foreign keys
    with at least one changed end: ``||`` / ``|o`` on the referenced side when the columns are
    NOT NULL or not, ``o|`` / ``o{`` on the referencing side when they are unique or not, a
    solid line when they are part of the referencing table's primary key. Dropped tables are
    listed in ``%%`` comment lines. Over ``max_tables`` the changed tables come first, then
    neighbours, and a last ``%%`` line says how many were left out.
    """
    catalog = _Catalog(snapshot)
    changed = [c for c in changes.values() if not c.dropped and c.key not in catalog.views]
    dropped = [c for c in changes.values() if c.dropped and c.key not in catalog.tables]
    if not changed:
        return None
    max_tables = max(1, max_tables)
    kept_changed = changed[:max_tables]
    changed_keys = {c.key for c in changed}
    kept_keys = {c.key for c in kept_changed}

    links, neighbours = _links(catalog, kept_changed, changed_keys)
    kept_neighbours = neighbours[: max_tables - len(kept_changed)]
    drawn = kept_keys | set(kept_neighbours)
    links = [fk for fk in links if fk.table in drawn and fk.references in drawn]
    left_changed = len(changed) - len(kept_changed)
    left_neighbours = len(neighbours) - len(kept_neighbours)
    if left_changed:  # the neighbours of the changed tables left out, too
        _, all_neighbours = _links(catalog, changed, changed_keys)
        left_neighbours = len(set(all_neighbours) - drawn)

    names_of = _Names()
    lines = ["erDiagram"]
    for change in kept_changed:
        lines.extend(_entity_lines(names_of, catalog, change.key, change, links))
    for key in kept_neighbours:
        lines.extend(_entity_lines(names_of, catalog, key, None, links))
    for fk in links:
        lines.append(_relationship(names_of, catalog, fk))
    for change in dropped:
        lines.append(f"%% dropped table {_text(_dotted(change.key))}")
    if left_changed or left_neighbours:
        parts = [_count(left_changed, "changed table"), _count(left_neighbours, "neighbouring table")]
        lines.append(f"%% {' and '.join(p for p in parts if p)} left out (max_tables={max_tables})")
    return "\n".join(lines)


def _links(catalog: _Catalog, tables: list[TableChange],
           changed_keys: set[TableKey]) -> tuple[list[_ForeignKey], list[TableKey]]:
    """Foreign keys from or to ``tables`` and the unchanged tables at their other ends, in the
    order of ``tables`` (outgoing by constraint name, then incoming by referencing table)."""
    links: list[_ForeignKey] = []
    seen: set[tuple[TableKey, str]] = set()
    neighbours: dict[TableKey, None] = {}
    for change in tables:
        table = catalog.tables.get(change.key)
        outgoing = sorted(table.foreign_keys, key=lambda f: f.name) if table else []
        incoming = sorted(catalog.referencing.get(change.key, ()), key=lambda f: (f.table, f.name))
        for fk in [*outgoing, *incoming]:
            if (fk.table, fk.name) in seen:
                continue
            seen.add((fk.table, fk.name))
            links.append(fk)
            for end in (fk.table, fk.references):
                if end not in changed_keys:
                    neighbours.setdefault(end)
    return links, list(neighbours)


def _count(n: int, noun: str) -> str:
    return "" if not n else f"{n} {noun}{'s' if n != 1 else ''}"


def _entity_lines(names_of: _Names, catalog: _Catalog, key: TableKey, change: TableChange | None,
                  links: list[_ForeignKey]) -> list[str]:
    table = catalog.tables.get(key)
    fk_columns = {c for fk in (table.foreign_keys if table else ()) for c in fk.columns}
    unique_columns = {c for u in (table.unique if table else ()) for c in u}
    primary = set(table.primary_key) if table else set()

    rows: list[tuple[str, str, str | None]] = []  # (name, format_type text, mark)
    if change is not None:
        for col in table.ordered_columns() if table else ():
            rows.append((col.name, col.type, change.mark(col.name)))
        present = {name for name, _, _ in rows}
        for name in sorted((change.added | change.changed) - present):  # not in the snapshot
            rows.append((name, "unknown", change.mark(name)))
        renamed_from = {old: new for new, old in change.renamed.items()}
        for name in sorted(change.removed - present):
            new = renamed_from.get(name)
            col = table.columns.get(new) if table and new else None
            rows.append((name, col.type if col else "unknown", REMOVED))
    else:
        wanted = set(primary)
        types: dict[str, str] = {}
        for fk in links:
            if fk.table == key:
                wanted.update(fk.columns)
            if fk.references == key:
                wanted.update(fk.ref_columns)
                source = catalog.tables.get(fk.table)
                for mine, theirs in zip(fk.ref_columns, fk.columns):
                    col = source.columns.get(theirs) if source else None
                    if col is not None:
                        types.setdefault(mine, col.type)
        if table is not None and table.columns:
            rows = [(c.name, c.type, None) for c in table.ordered_columns() if c.name in wanted]
        else:  # not in the snapshot: the columns the foreign keys name, typed like their partners
            order = [c for fk in links if fk.references == key for c in fk.ref_columns]
            rows = [(c, types.get(c, "unknown"), None) for c in dict.fromkeys(order)]

    out = [f"    {names_of(key)} {{"]
    for name, type_text, mark in rows:
        keys = [k for k, held in (("PK", name in primary), ("FK", name in fk_columns),
                                  ("UK", name in unique_columns and name not in primary)) if held]
        word = _word(name)
        notes = [mark] if mark else []
        if change is not None and mark == ADDED and name in change.renamed:
            notes.append(f"renamed from {change.renamed[name]}")
        if word != name:
            notes.append(f"SQL name: {name}")
        line = f"        {mermaid_type(type_text)} {word}"
        if keys:
            line += " " + ", ".join(keys)
        if notes:
            line += f' "{_text(", ".join(notes))}"'
        out.append(line)
    out.append("    }")
    return out


def _relationship(names_of: _Names, catalog: _Catalog, fk: _ForeignKey) -> str:
    child = catalog.tables.get(fk.table)
    cols = [child.columns.get(c) if child else None for c in fk.columns]
    required = bool(cols) and all(c is not None and c.not_null for c in cols)
    parent_side = "||" if required else "|o"
    child_side = "o|" if _is_unique(child, fk.columns) else "o{"
    identifying = child is not None and bool(child.primary_key) and set(fk.columns) <= set(child.primary_key)
    line = "--" if identifying else ".."
    label = _text(", ".join(fk.columns)) or _text(fk.name)
    return f'    {names_of(fk.references)} {parent_side}{line}{child_side} {names_of(fk.table)} : "{label}"'
