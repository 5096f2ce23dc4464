-- Views and materialized views: definition as the server prints it, options
-- (security_invoker, check_option, ...), and what each one reads (for ordering, not
-- compared): relations, functions, and user types (an enum named in a cast, ...).
SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS name,
       CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END AS kind,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       ARRAY(SELECT o FROM unnest(c.reloptions) o ORDER BY 1) AS options,
       ARRAY(SELECT DISTINCT x FROM (
               SELECT quote_ident(rn.nspname) || '.' || quote_ident(rc.relname) AS x
               FROM pg_catalog.pg_rewrite r
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                          AND d.refclassid = 'pg_catalog.pg_class'::regclass
               JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
               JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
               WHERE r.ev_class = c.oid AND rc.oid <> c.oid
               UNION ALL
               SELECT quote_ident(rn.nspname) || '.' || quote_ident(rp.proname)
                        || '(' || pg_catalog.oidvectortypes(rp.proargtypes) || ')'
               FROM pg_catalog.pg_rewrite r
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                          AND d.refclassid = 'pg_catalog.pg_proc'::regclass
               JOIN pg_catalog.pg_proc rp ON rp.oid = d.refobjid
               JOIN pg_catalog.pg_namespace rn ON rn.oid = rp.pronamespace
               WHERE r.ev_class = c.oid AND left(rn.nspname, 3) <> 'pg_' AND rn.nspname <> 'information_schema'
               UNION ALL
               SELECT quote_ident(tn.nspname) || '.' || quote_ident(t.typname)
               FROM pg_catalog.pg_rewrite r
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                          AND d.refclassid = 'pg_catalog.pg_type'::regclass
               JOIN pg_catalog.pg_type t ON t.oid = d.refobjid
               JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
               WHERE r.ev_class = c.oid AND t.typrelid = 0
                 AND left(tn.nspname, 3) <> 'pg_' AND tn.nspname <> 'information_schema'
             ) deps ORDER BY 1) AS depends_on
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
