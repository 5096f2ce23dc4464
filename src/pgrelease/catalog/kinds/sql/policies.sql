-- Row level security policies: command, permissive or restrictive, roles, USING, WITH CHECK.
SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS "table", quote_ident(p.polname) AS name,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
       CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END AS mode,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_catalog.pg_get_userbyid(r)) END
             FROM unnest(p.polroles) r ORDER BY 1) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS "using",
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3
