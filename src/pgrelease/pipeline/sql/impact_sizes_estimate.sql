-- pgrelease impact: the lock-free estimate of impact_sizes.sql (relpages of the relation, its
-- TOAST table and its indexes, as of the last VACUUM / ANALYZE), read from pg_class only.
select pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) as name,
       ((c.relpages::int8
         + coalesce((select t.relpages from pg_catalog.pg_class t where t.oid = c.reltoastrelid), 0)
         + coalesce((select sum(x.relpages) from pg_catalog.pg_index i
                     join pg_catalog.pg_class x on x.oid = i.indexrelid where i.indrelid = c.oid), 0))
        * pg_catalog.current_setting('block_size')::int8)::int8 as bytes,
       c.reltuples::float8 as reltuples
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) = any(%(names)s::text[])
