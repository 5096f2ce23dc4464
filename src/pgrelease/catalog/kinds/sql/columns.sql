-- Table columns: type with modifiers, NOT NULL, default, identity, generated expression,
-- collation (only when not the type's default), compression (14+) and position among the
-- table's live columns. Inherited columns (partitions, INHERITS: inhcount > 0) belong to the
-- parent; they are read too, apart from the others, for a table that leaves or joins its
-- parent (DETACH / ATTACH PARTITION) and keeps its columns.
SELECT * FROM (
  SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS "table", quote_ident(a.attname) AS name,
         row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position,
         pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
         a.attnotnull AS not_null,
         CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
         CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity_kind,
         CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
              || CASE a.attgenerated WHEN 's' THEN ' STORED' ELSE ' VIRTUAL' END END AS generated,
         CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
              CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                   ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
         END AS collation,
         CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
         a.attinhcount AS inhcount
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    AND n.nspname <> ALL (%(exclude)s::text[])
    AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
) cols
ORDER BY schema, "table", position
