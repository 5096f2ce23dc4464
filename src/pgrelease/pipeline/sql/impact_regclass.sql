-- pgrelease impact: the relation a statement that cannot run in a transaction names (and,
-- for an index, its table), each part quoted as quote_ident quotes it; NULLs when it does not exist.
select pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) as name,
       c.relkind::text as relkind,
       (select pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.relname)
        from pg_catalog.pg_index i
        join pg_catalog.pg_class t on t.oid = i.indrelid
        join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
        where i.indexrelid = c.oid) as table_name
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.oid = pg_catalog.to_regclass(%(name)s)
