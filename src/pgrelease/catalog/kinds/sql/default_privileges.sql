-- ALTER DEFAULT PRIVILEGES, one row per (role, schema or global, object type, grantee).
-- "privileges" are granted beyond the built-in default; "revoked" are built-in defaults
-- taken away (only possible for global entries, e.g. EXECUTE on functions from PUBLIC).
-- Entries owned by the platform's roles (the exclude_roles parameter) are left out.
WITH d AS (
  SELECT d.oid, pg_catalog.pg_get_userbyid(d.defaclrole) AS role_name, d.defaclrole,
         CASE WHEN d.defaclnamespace = 0 THEN NULL ELSE quote_ident(n.nspname) END AS schema,
         d.defaclobjtype, d.defaclacl, d.defaclnamespace = 0 AS is_global
  FROM pg_catalog.pg_default_acl d
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
  WHERE (d.defaclnamespace = 0 OR (
          left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
          AND n.nspname <> ALL (%(exclude)s::text[])
          AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))))
    AND pg_catalog.pg_get_userbyid(d.defaclrole) <> ALL (%(exclude_roles)s::text[])
), cur AS (
  SELECT d.oid, a.grantee, a.privilege_type::text AS privilege_type, a.is_grantable
  FROM d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
), dflt AS (
  SELECT d.oid, a.grantee, a.privilege_type::text AS privilege_type, a.is_grantable
  FROM d CROSS JOIN LATERAL aclexplode(acldefault(
           CASE d.defaclobjtype WHEN 'S' THEN 's' WHEN 'f' THEN 'f' WHEN 'T' THEN 'T'
                                WHEN 'n' THEN 'n' ELSE 'r' END::"char", d.defaclrole)) a
  WHERE d.is_global
), rows AS (
  SELECT oid, grantee, privilege_type, is_grantable, false AS revoked
  FROM (SELECT * FROM cur EXCEPT SELECT * FROM dflt) g
  UNION ALL
  SELECT oid, grantee, privilege_type, false, true
  FROM (SELECT oid, grantee, privilege_type FROM dflt EXCEPT SELECT oid, grantee, privilege_type FROM cur) r
)
SELECT quote_ident(d.role_name) AS role, d.schema,
       CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                            WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' END AS object_type,
       CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END AS grantee,
       coalesce(array_agg(r.privilege_type ORDER BY r.privilege_type) FILTER (WHERE NOT r.revoked), '{}') AS privileges,
       coalesce(array_agg(r.privilege_type ORDER BY r.privilege_type) FILTER (WHERE r.is_grantable AND NOT r.revoked), '{}') AS grantable,
       coalesce(array_agg(r.privilege_type ORDER BY r.privilege_type) FILTER (WHERE r.revoked), '{}') AS revoked
FROM rows r JOIN d ON d.oid = r.oid
GROUP BY d.role_name, d.schema, d.defaclobjtype, r.grantee
ORDER BY 1, 2, 3, 4
