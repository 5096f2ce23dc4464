-- max_version: 149999
-- Collations made with CREATE COLLATION: provider, locale (lc_collate and lc_ctype for libc),
-- deterministic, ICU rules (16+). The encoding is not compared (FROM "POSIX" gives "any").
SELECT quote_ident(n.nspname) AS schema, quote_ident(co.collname) AS name,
       CASE co.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'default' END AS provider,
       CASE WHEN co.collprovider = 'c' THEN co.collcollate END AS lc_collate,
       CASE WHEN co.collprovider = 'c' THEN co.collctype END AS lc_ctype,
       CASE WHEN co.collprovider <> 'c' THEN co.collcollate END AS locale,
       co.collisdeterministic AS deterministic,
       NULL::text AS rules
FROM pg_catalog.pg_collation co
JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
WHERE left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_collation'::regclass AND d.objid = co.oid AND d.deptype = 'e')
ORDER BY 1, 2
