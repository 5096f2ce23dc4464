-- Privileges on tables, views, sequences, columns, functions and schemas, one row per
-- (object, grantee). Built with aclexplode, so the row does not depend on how the ACL was
-- written; a NULL ACL is read as the built-in default (acldefault), so "EXECUTE to PUBLIC"
-- on functions is reported whether or not it was spelt out. The owner's own privileges
-- are implicit and left out.
WITH acl AS (
  SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
                        WHEN 'm' THEN 'materialized view' ELSE 'table' END AS object_type,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS object_name,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS relation,
         NULL::text AS "column",
         a.grantee, a.privilege_type, a.is_grantable
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND a.grantee <> c.relowner
    AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    AND n.nspname <> ALL (%(exclude)s::text[])
    AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'))
  UNION ALL
  SELECT 'column',
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(att.attname),
         quote_ident(n.nspname) || '.' || quote_ident(c.relname),
         quote_ident(att.attname),
         a.grantee, a.privilege_type, a.is_grantable
  FROM pg_catalog.pg_attribute att
  JOIN pg_catalog.pg_class c ON c.oid = att.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL aclexplode(att.attacl) a
  WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped
    AND c.relkind IN ('r', 'p', 'v', 'm') AND a.grantee <> c.relowner
    AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    AND n.nspname <> ALL (%(exclude)s::text[])
    AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
         quote_ident(n.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
         NULL, NULL,
         a.grantee, a.privilege_type, a.is_grantable
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
  WHERE p.prokind IN ('f', 'p', 'w') AND a.grantee <> p.proowner
    AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    AND n.nspname <> ALL (%(exclude)s::text[])
    AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'schema', quote_ident(n.nspname), NULL, NULL,
         a.grantee, a.privilege_type, a.is_grantable
  FROM pg_catalog.pg_namespace n
  CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
  WHERE a.grantee <> n.nspowner
    AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    AND n.nspname <> ALL (%(exclude)s::text[])
    AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
)
SELECT object_type, object_name,
       CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(grantee)) END AS grantee,
       array_agg(DISTINCT privilege_type::text ORDER BY privilege_type::text) AS privileges,
       coalesce(array_agg(DISTINCT privilege_type::text ORDER BY privilege_type::text) FILTER (WHERE is_grantable), '{}') AS grantable,
       min(relation) AS "table", min("column") AS "column"
FROM acl
GROUP BY object_type, object_name, grantee
ORDER BY 1, 2, 3
