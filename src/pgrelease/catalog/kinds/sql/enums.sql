-- Enum types with their labels in sort order.
SELECT quote_ident(n.nspname) AS schema, quote_ident(t.typname) AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2
