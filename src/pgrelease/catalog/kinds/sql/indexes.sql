-- min_version: 150000
-- Indexes that are not the implementation of a constraint (primary key, unique, exclusion:
-- those are constraints) and not partitions of a parent index.
SELECT quote_ident(n.nspname) AS schema, quote_ident(ic.relname) AS name,
       quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) AS "table",
       am.amname AS method,
       i.indisunique AS "unique",
       i.indnullsnotdistinct AS nulls_not_distinct,
       i.indisvalid AS valid,
       i.indpred IS NOT NULL AS partial,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE tc.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint co
                  WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = tc.oid AND d.deptype = 'e')
ORDER BY 1, 2
