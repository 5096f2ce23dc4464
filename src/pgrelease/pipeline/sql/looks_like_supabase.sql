-- --baseline auto: does the target look like a Supabase database? Its auth schema, and which of
-- Supabase's roles it has (the roles parameter).
SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'auth') AS has_auth,
       ARRAY(SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname = ANY (%(roles)s::text[])) AS roles
