-- Domains: base type, NOT NULL, default, collation (when not the base type's) and CHECK constraints.
-- depends_on (for ordering, not compared): the functions its CHECK constraints call.
SELECT quote_ident(n.nspname) AS schema, quote_ident(t.typname) AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typnotnull AS not_null,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS "default",
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                 ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END AS collation,
       ARRAY(SELECT quote_ident(c.conname) || ' ' || pg_catalog.pg_get_constraintdef(c.oid)
             FROM pg_catalog.pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS constraints,
       ARRAY(SELECT DISTINCT quote_ident(rn.nspname) || '.' || quote_ident(rp.proname)
                               || '(' || pg_catalog.oidvectortypes(rp.proargtypes) || ')'
             FROM pg_catalog.pg_constraint c
             JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_constraint'::regclass AND d.objid = c.oid
                                        AND d.refclassid = 'pg_catalog.pg_proc'::regclass
             JOIN pg_catalog.pg_proc rp ON rp.oid = d.refobjid
             JOIN pg_catalog.pg_namespace rn ON rn.oid = rp.pronamespace
             WHERE c.contypid = t.oid AND left(rn.nspname, 3) <> 'pg_' AND rn.nspname <> 'information_schema'
             ORDER BY 1) AS depends_on
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2
