-- User triggers (not the internal ones behind foreign keys, not clones on partitions).
-- A trigger on a table of an excluded schema is still reported when its function lives in
-- a compared schema: that is a project's trigger on a platform table (the usual
-- on_auth_user_created trigger on auth.users), not part of the platform.
SELECT quote_ident(n.nspname) AS schema, quote_ident(c.relname) AS "table", quote_ident(t.tgname) AS name,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition,
       CASE t.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                        WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END AS enabled
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0
  AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
  AND ((n.nspname <> ALL (%(exclude)s::text[])
        AND (%(include)s::text[] IS NULL OR n.nspname = ANY (%(include)s::text[])))
       OR (left(pn.nspname, 3) <> 'pg_' AND pn.nspname <> 'information_schema'
           AND pn.nspname <> ALL (%(exclude)s::text[])
           AND (%(include)s::text[] IS NULL OR pn.nspname = ANY (%(include)s::text[]))))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3
