-- Tables: ordinary or partitioned, partition key and bound, persistence, RLS, storage options.
-- "cloned" (not compared): the constraints and indexes a partition has from its parent's,
-- which it keeps as its own when it is detached.
SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS name,
       CASE c.relkind WHEN 'p' THEN 'partitioned' ELSE 'ordinary' END AS type,
       CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       (SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname)
        FROM pg_catalog.pg_inherits i
        JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
        JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
        WHERE i.inhrelid = c.oid AND c.relispartition) AS partition_of,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       ARRAY(SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname)
             FROM pg_catalog.pg_inherits i
             JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
             JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
             WHERE i.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY i.inhseqno) AS inherits,
       ARRAY(SELECT o FROM unnest(c.reloptions) o ORDER BY 1) AS options,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       ARRAY(SELECT 'constraint ' || quote_ident(co.conname)
             FROM pg_catalog.pg_constraint co
             WHERE co.conrelid = c.oid AND c.relispartition AND (co.conparentid <> 0 OR co.coninhcount > 0)
               AND co.contype IN ('p', 'u', 'f', 'c', 'x')
             UNION ALL
             SELECT 'index ' || quote_ident(icn.nspname) || '.' || quote_ident(ic.relname)
             FROM pg_catalog.pg_index i
             JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_catalog.pg_namespace icn ON icn.oid = ic.relnamespace
             WHERE i.indrelid = c.oid AND c.relispartition AND ic.relispartition
               AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint co
                               WHERE co.conindid = i.indexrelid AND co.conrelid = c.oid)
             ORDER BY 1) AS cloned
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
