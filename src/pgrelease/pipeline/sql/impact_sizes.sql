-- pgrelease impact: size and row estimate of the named relations on the target (the names parameter
-- is a text[] of schema-qualified names, each part quoted as quote_ident quotes it). pg_total_relation_size
-- takes ACCESS SHARE on each relation, so the caller sets a short lock_timeout and falls back
-- to impact_sizes_estimate.sql when a relation is locked.
select pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) as name,
       pg_catalog.pg_total_relation_size(c.oid)::int8 as bytes,
       c.reltuples::float8 as reltuples
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) = any(%(names)s::text[])
