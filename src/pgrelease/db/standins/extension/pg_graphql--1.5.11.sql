-- pgrelease stand-in for shadow replays, NOT the real pg_graphql extension.
--
-- Reproduces the objects of pg_graphql 1.5 in schema "graphql" that migrations and
-- Supabase's graphql_public.graphql() wrapper refer to: graphql.resolve() with the real
-- signature, graphql._internal_resolve(), graphql.comment_directive(),
-- graphql.exception(), graphql.get_schema_version(), graphql.increment_schema_version()
-- and the schema-version sequence.
--
--   real:   comment_directive() parses "@graphql({...})" comments like the real one.
--   FAKED:  resolve() executes nothing: it returns {"data": null, "errors": [{"message":
--           "pgrelease stand-in: ..."}]}. The DDL-watching event triggers are not created.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_graphql" to load this file. \quit

CREATE SEQUENCE @extschema@.seq_schema_version AS integer CYCLE;

CREATE FUNCTION @extschema@.get_schema_version() RETURNS integer
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog
RETURN (SELECT last_value FROM @extschema@.seq_schema_version);

CREATE FUNCTION @extschema@.increment_schema_version() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog AS $$
BEGIN
  PERFORM nextval('@extschema@.seq_schema_version');
END;
$$;

CREATE FUNCTION @extschema@.exception(message text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '22000', MESSAGE = message;
END;
$$;

CREATE FUNCTION @extschema@.comment_directive(comment_ text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  /*
  comment on column public.account.name is '@graphql.name: myField'
  */
  SELECT
    CASE
      WHEN substring($1, '@graphql\((.+)\)') IS NOT NULL THEN
        coalesce(substring($1, '@graphql\((.+)\)')::jsonb, '{}'::jsonb)
      ELSE '{}'::jsonb
    END
$$;

CREATE FUNCTION @extschema@._internal_resolve(
  query text,
  variables jsonb DEFAULT '{}',
  "operationName" text DEFAULT NULL,
  extensions jsonb DEFAULT NULL
) RETURNS jsonb
LANGUAGE sql VOLATILE
RETURN jsonb_build_object(
  'data', NULL,
  'errors', jsonb_build_array(jsonb_build_object(
    'message', 'pgrelease stand-in: pg_graphql does not execute GraphQL in shadow replays')));

CREATE FUNCTION @extschema@.resolve(
  query text,
  variables jsonb DEFAULT '{}',
  "operationName" text DEFAULT NULL,
  extensions jsonb DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  res jsonb;
BEGIN
  res := @extschema@._internal_resolve(query, coalesce(variables, '{}'), "operationName", extensions);
  RETURN res;
END;
$$;

GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.resolve(text, jsonb, text, jsonb) TO PUBLIC;
GRANT SELECT ON @extschema@.seq_schema_version TO PUBLIC;
