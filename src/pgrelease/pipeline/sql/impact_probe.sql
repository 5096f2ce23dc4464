-- pgrelease impact: one probe point inside the migration's transaction. Every user relation
-- (not the system catalogs, not TOAST, not temporary), its storage file (a new relfilenode
-- means the table was rewritten), the sequential scans this transaction has started on it
-- (pg_stat_xact_user_tables counts the current transaction), and the lock modes this backend
-- holds on it. Reads catalogs only: the probe itself locks no user relation.
with held as (
    select l.relation, array_agg(l.mode::text order by l.mode) as modes
    from pg_catalog.pg_locks l
    where l.pid = pg_catalog.pg_backend_pid()
      and l.locktype = 'relation'
      and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database())
    group by l.relation
)
select c.oid::int8 as oid,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) as name,
       c.relkind::text as relkind,
       c.relfilenode::int8 as relfilenode,
       i.indrelid::int8 as parent,
       coalesce(s.seq_scan, 0)::int8 as seq_scan,
       coalesce(h.modes, '{}'::text[]) as modes
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_index i on i.indexrelid = c.oid
left join pg_catalog.pg_stat_xact_user_tables s on s.relid = c.oid
left join held h on h.relation = c.oid
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  and c.relkind <> 't'
