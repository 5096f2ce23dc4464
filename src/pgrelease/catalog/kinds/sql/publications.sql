-- min_version: 150000
-- Publications: FOR ALL TABLES, published operations, and the tables (with column lists
-- and row filters, 15+) and schemas they list, restricted to the schemas compared.
SELECT quote_ident(p.pubname) AS name,
       p.puballtables AS all_tables,
       array_remove(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
                          CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END],
                    NULL) AS operations,
       p.pubviaroot AS via_root,
       ARRAY(SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                    || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                                         FROM pg_catalog.pg_attribute a
                                         WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)) || ')', '')
                    || coalesce(' WHERE ' || (SELECT CASE WHEN q ~ '^\(.*\)$' THEN q ELSE '(' || q || ')' END
                                              FROM pg_catalog.pg_get_expr(pr.prqual, pr.prrelid) q), '')
             FROM pg_catalog.pg_publication_rel pr
             JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE pr.prpubid = p.oid
               AND n.nspname <> ALL (%(exclude)s::text[])
               AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
             ORDER BY 1) AS tables,
       ARRAY(SELECT quote_ident(n.nspname)
             FROM pg_catalog.pg_publication_namespace pn
             JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
             WHERE pn.pnpubid = p.oid
               AND n.nspname <> ALL (%(exclude)s::text[])
               AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
             ORDER BY 1) AS schemas
FROM pg_catalog.pg_publication p
ORDER BY 1
