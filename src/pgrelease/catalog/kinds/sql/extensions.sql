-- Installed extensions (name, version, schema), filtered by the schema they live in.
-- plpgsql is in every database and is left out.
SELECT quote_ident(e.extname) AS name, e.extversion AS version, quote_ident(n.nspname) AS schema
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
ORDER BY 1
