-- Table constraints: primary key, unique (NULLS NOT DISTINCT shows in the definition),
-- foreign key (actions, deferrability), check, exclusion; validated or NOT VALID.
-- NOT NULL (PostgreSQL 18 stores them here) is a column attribute; constraints cloned onto
-- partitions or inherited by child tables belong to the parent.
SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS "table", quote_ident(co.conname) AS name,
       CASE co.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
                       WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' END AS type,
       pg_catalog.pg_get_constraintdef(co.oid) AS definition,
       co.convalidated AS validated,
       CASE WHEN co.contype = 'f' THEN
            (SELECT quote_ident(rn.nspname) || '.' || quote_ident(rc.relname)
             FROM pg_catalog.pg_class rc JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
             WHERE rc.oid = co.confrelid) END AS "references"
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x')
  AND co.conparentid = 0 AND co.coninhcount = 0
  AND c.relkind IN ('r', 'p')
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3
