-- The target's own roles: what a migration may GRANT to or ALTER, without the server's
-- (pg_*), PostgreSQL's bootstrap superuser, the roles hosted Supabase manages itself
-- (db/roles.py passes them as %(managed)s), the login role and superusers (the server's
-- administrators, never a project's on hosted Supabase). Names and attributes only: never rolpassword.
SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolinherit AS inherit, r.rolcreaterole AS createrole,
       r.rolcreatedb AS createdb, r.rolcanlogin AS login, r.rolreplication AS replication,
       r.rolbypassrls AS bypassrls, r.rolconnlimit AS connlimit,
       coalesce(array(SELECT g.rolname FROM pg_catalog.pg_auth_members m
                        JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                       WHERE m.member = r.oid ORDER BY g.rolname), '{}') AS member_of
  FROM pg_catalog.pg_roles r
 WHERE r.rolname !~ '^pg_'
   AND r.oid >= 16384
   AND r.rolname NOT IN (current_user, session_user)
   AND NOT r.rolsuper
   AND NOT (r.rolname = ANY (%(managed)s))
 ORDER BY r.rolname;
