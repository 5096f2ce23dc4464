-- Comments on schemas, relations, columns, indexes, sequences, types, functions, table
-- constraints, triggers and policies. "target" is the object as COMMENT ON spells it.
SELECT object_type, object_name, target, relation AS "table", text FROM (
  SELECT CASE WHEN d.objsubid <> 0 THEN 'column'
              ELSE CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                                  WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                                  WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' END END AS object_type,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname)
           || CASE WHEN d.objsubid <> 0 THEN '.' || quote_ident(a.attname) ELSE '' END AS object_name,
         CASE WHEN d.objsubid <> 0 THEN 'COLUMN ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname)
              ELSE CASE c.relkind WHEN 'r' THEN 'TABLE ' WHEN 'p' THEN 'TABLE ' WHEN 'v' THEN 'VIEW '
                                  WHEN 'm' THEN 'MATERIALIZED VIEW ' WHEN 'S' THEN 'SEQUENCE '
                                  ELSE 'INDEX ' END
                   || quote_ident(n.nspname) || '.' || quote_ident(c.relname) END AS target,
         CASE WHEN c.relkind IN ('i', 'I') THEN
              (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname)
               FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
               JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace WHERE i.indexrelid = c.oid)
              ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END AS relation,
         d.description AS text, n.nspname AS nsp, c.oid AS objoid, 'pg_catalog.pg_class'::regclass AS cls
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_class c ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I') AND (d.objsubid = 0 OR a.attname IS NOT NULL)
    AND (c.relkind NOT IN ('i', 'I') OR NOT c.relispartition)
  UNION ALL
  SELECT 'schema', quote_ident(n.nspname), 'SCHEMA ' || quote_ident(n.nspname), NULL,
         d.description, n.nspname, n.oid, 'pg_catalog.pg_namespace'::regclass
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_namespace n ON d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objoid = n.oid
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
         quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
         CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END
           || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
         NULL, d.description, n.nspname, p.oid, 'pg_catalog.pg_proc'::regclass
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_proc p ON d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objoid = p.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p', 'w')
  UNION ALL
  SELECT CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'type' END,
         quote_ident(n.nspname) || '.' || quote_ident(t.typname),
         CASE t.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || quote_ident(n.nspname) || '.' || quote_ident(t.typname),
         NULL, d.description, n.nspname, t.oid, 'pg_catalog.pg_type'::regclass
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_type t ON d.classoid = 'pg_catalog.pg_type'::regclass AND d.objoid = t.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND EXISTS (
          SELECT FROM pg_catalog.pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c'))
  UNION ALL
  SELECT 'constraint',
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(co.conname),
         'CONSTRAINT ' || quote_ident(co.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         d.description, n.nspname, c.oid, 'pg_catalog.pg_class'::regclass
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_constraint co ON d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objoid = co.oid
  JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE co.conparentid = 0
  UNION ALL
  SELECT 'trigger',
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(tg.tgname),
         'TRIGGER ' || quote_ident(tg.tgname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         d.description, n.nspname, c.oid, 'pg_catalog.pg_class'::regclass
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_trigger tg ON d.classoid = 'pg_catalog.pg_trigger'::regclass AND d.objoid = tg.oid
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE tg.tgparentid = 0
  UNION ALL
  SELECT 'policy',
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(po.polname),
         'POLICY ' || quote_ident(po.polname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         d.description, n.nspname, c.oid, 'pg_catalog.pg_class'::regclass
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_policy po ON d.classoid = 'pg_catalog.pg_policy'::regclass AND d.objoid = po.oid
  JOIN pg_catalog.pg_class c ON c.oid = po.polrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
) x
WHERE left(nsp, 3) <> 'pg_' AND nsp <> 'information_schema'
  AND nsp <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR nsp = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend dep
                  WHERE dep.classid = x.cls AND dep.objid = x.objoid AND dep.deptype = 'e')
ORDER BY 1, 2
