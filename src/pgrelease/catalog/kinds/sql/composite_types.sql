-- Stand-alone composite types (CREATE TYPE ... AS (...)), attributes in order; depends_on (for
-- ordering, not compared): the user types the attributes use.
SELECT quote_ident(n.nspname) AS schema, quote_ident(t.typname) AS name,
       ARRAY(SELECT quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN
                            ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                                                ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
                       ELSE '' END
             FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
             LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
             LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attributes,
       ARRAY(SELECT DISTINCT quote_ident(tn.nspname) || '.' || quote_ident(et.typname)
             FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
             JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN at.typelem <> 0 AND at.typsubscript = 'pg_catalog.array_subscript_handler'::regproc
                                                        THEN at.typelem ELSE at.oid END
             JOIN pg_catalog.pg_namespace tn ON tn.oid = et.typnamespace
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
               AND left(tn.nspname, 3) <> 'pg_' AND tn.nspname <> 'information_schema'
             ORDER BY 1) AS depends_on
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
WHERE t.typtype = 'c'
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2
