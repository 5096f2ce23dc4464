-- Views and materialized views: definition as the server prints it, options
-- (security_invoker, check_option, ...), and the relations each one reads (for ordering).
SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS name,
       CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END AS kind,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       ARRAY(SELECT o FROM unnest(c.reloptions) o ORDER BY 1) AS options,
       ARRAY(SELECT DISTINCT quote_ident(rn.nspname) || '.' || quote_ident(rc.relname)
             FROM pg_catalog.pg_rewrite r
             JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                        AND d.refclassid = 'pg_catalog.pg_class'::regclass
             JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
             JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
             WHERE r.ev_class = c.oid AND rc.oid <> c.oid
             ORDER BY 1) AS depends_on
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
