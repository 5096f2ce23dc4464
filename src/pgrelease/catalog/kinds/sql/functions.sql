-- Functions and procedures (aggregates are not covered): signature, return type, language,
-- volatility, strictness, SECURITY DEFINER, leakproof, parallel safety, SET options
-- (search_path ...), and the body (prosrc, or the SQL-standard BEGIN ATOMIC body).
-- depends_on (for ordering, not compared): the functions, relations and user types the
-- function depends on in pg_depend (its argument and result types, and for an SQL-standard
-- body what the body reads); a relation's row type counts as the relation.
SELECT quote_ident(n.nspname) AS schema, quote_ident(p.proname) AS name,
       pg_catalog.oidvectortypes(p.proargtypes) AS identity_arguments,
       CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       pg_catalog.pg_get_function_result(p.oid) AS returns,
       l.lanname AS language,
       CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END AS parallel,
       ARRAY(SELECT o FROM unnest(p.proconfig) o ORDER BY 1) AS config,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) ELSE p.prosrc END AS body,
       p.prosqlbody IS NOT NULL AS sql_body,
       pg_catalog.pg_get_functiondef(p.oid) AS definition,
       ARRAY(SELECT DISTINCT x FROM (
               SELECT quote_ident(rn.nspname) || '.' || quote_ident(rp.proname)
                        || '(' || pg_catalog.oidvectortypes(rp.proargtypes) || ')' AS x
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_proc rp ON rp.oid = d.refobjid
               JOIN pg_catalog.pg_namespace rn ON rn.oid = rp.pronamespace
               WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'n'
                 AND d.refclassid = 'pg_catalog.pg_proc'::regclass AND rp.oid <> p.oid
               UNION ALL
               SELECT quote_ident(rn.nspname) || '.' || quote_ident(rc.relname)
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
               JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
               WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'n'
                 AND d.refclassid = 'pg_catalog.pg_class'::regclass
               UNION ALL
               SELECT CASE WHEN rc.oid IS NOT NULL THEN quote_ident(rcn.nspname) || '.' || quote_ident(rc.relname)
                           ELSE quote_ident(tn.nspname) || '.' || quote_ident(t.typname) END
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_type t0 ON t0.oid = d.refobjid
               JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN t0.typelem <> 0 AND t0.typsubscript = 'pg_catalog.array_subscript_handler'::regproc
                                                         THEN t0.typelem ELSE t0.oid END
               JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
               LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid
               LEFT JOIN pg_catalog.pg_namespace rcn ON rcn.oid = rc.relnamespace
               WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'n'
                 AND d.refclassid = 'pg_catalog.pg_type'::regclass
                 AND left(tn.nspname, 3) <> 'pg_' AND tn.nspname <> 'information_schema'
             ) deps ORDER BY 1) AS depends_on
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p', 'w')
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND n.nspname <> ALL (%(exclude)s::text[])
  AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3
