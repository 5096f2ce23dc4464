-- pgrelease stand-in for shadow replays, NOT the real hypopg extension.
--
-- Provides hypopg 1.4's main functions: hypopg_create_index(), hypopg(),
-- hypopg_list_indexes, hypopg_get_indexdef(), hypopg_relation_size(), hypopg_drop_index(),
-- hypopg_reset(). Like the real extension, hypothetical indexes live in the session only
-- (here in a custom setting, hypopg.standin_indexes).
--
--   real:   the statement is checked (CREATE [UNIQUE] INDEX ... ON <existing table> ...),
--           a fake OID and a hypopg-style name (<oid>btree_table_col) come back.
--   FAKED:  the planner never sees the indexes (EXPLAIN is unchanged) and
--           hypopg_relation_size() is an estimate from the table's pages.
--
-- Relocatable like the real one: PL/pgSQL bodies use only pg_catalog.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION hypopg" to load this file. \quit

CREATE FUNCTION hypopg_create_index(IN sql_order text, OUT indexrelid oid, OUT indexname text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT AS $fn$  -- no SET search_path: table names resolve as for the caller
DECLARE
  state jsonb := coalesce(nullif(current_setting('hypopg.standin_indexes', true), ''), '[]')::jsonb;
  next_oid bigint;
  m text[];
  rel regclass;
  am text;
  cols text;
  stmt text;
BEGIN
  FOREACH stmt IN ARRAY regexp_split_to_array(sql_order, ';') LOOP
    CONTINUE WHEN btrim(stmt) = '';
    m := regexp_match(stmt,
      '^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:\S+\s+)?on\s+(?:only\s+)?([^\s(]+)\s*(?:using\s+(\w+)\s*)?\((.*)\)',
      'is');
    IF m IS NULL THEN
      RAISE EXCEPTION 'hypopg: SQL order #1 is not a CREATE INDEX statement';
    END IF;
    rel := m[2]::regclass;  -- raises "relation ... does not exist" like the real one
    am := lower(coalesce(m[3], 'btree'));
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_am WHERE amname = am AND amtype = 'i') THEN
      RAISE EXCEPTION 'access method "%" does not exist', am;
    END IF;
    cols := regexp_replace(lower(m[4]), '[^a-z0-9_]+', '_', 'g');
    next_oid := 900000000 + jsonb_array_length(state) + 1;
    indexrelid := next_oid::oid;
    indexname := '<' || next_oid || '>' || am || '_' || (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = rel) || '_' || btrim(cols, '_');
    state := state || jsonb_build_array(jsonb_build_object(
      'indexrelid', next_oid, 'indexname', indexname, 'indrelid', rel::oid, 'amname', am,
      'unique', m[1] IS NOT NULL, 'def', btrim(stmt)));
    PERFORM set_config('hypopg.standin_indexes', state::text, false);
    RETURN NEXT;
  END LOOP;
END
$fn$;

CREATE FUNCTION hypopg(OUT indexname text, OUT indexrelid oid, OUT indrelid oid, OUT indisunique boolean, OUT amid oid)
RETURNS SETOF record
LANGUAGE sql VOLATILE
BEGIN ATOMIC
  SELECT e ->> 'indexname', (e ->> 'indexrelid')::oid, (e ->> 'indrelid')::oid, (e ->> 'unique')::boolean,
         (SELECT a.oid FROM pg_catalog.pg_am a WHERE a.amname = e ->> 'amname')
    FROM pg_catalog.jsonb_array_elements(
           COALESCE(NULLIF(pg_catalog.current_setting('hypopg.standin_indexes', true), ''), '[]')::jsonb) AS e
   WHERE (e ->> 'dropped') IS NULL;
END;

CREATE VIEW hypopg_list_indexes AS
  SELECT h.indexrelid, h.indexname AS index_name, n.nspname AS schema_name,
         COALESCE(c.relname, '<dropped>') AS table_name, am.amname AS am_name
    FROM hypopg() h
    LEFT JOIN pg_catalog.pg_class c ON c.oid = h.indrelid
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_am am ON am.oid = h.amid;

CREATE FUNCTION hypopg_get_indexdef(indexid oid) RETURNS text
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT e ->> 'def'
    FROM pg_catalog.jsonb_array_elements(
           COALESCE(NULLIF(pg_catalog.current_setting('hypopg.standin_indexes', true), ''), '[]')::jsonb) AS e
   WHERE (e ->> 'indexrelid')::oid = indexid AND (e ->> 'dropped') IS NULL;
END;

CREATE FUNCTION hypopg_relation_size(indexid oid) RETURNS bigint
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT GREATEST(8192::bigint, (SELECT c.relpages::bigint * 8192 / 3 FROM pg_catalog.pg_class c WHERE c.oid = (e ->> 'indrelid')::oid))
    FROM pg_catalog.jsonb_array_elements(
           COALESCE(NULLIF(pg_catalog.current_setting('hypopg.standin_indexes', true), ''), '[]')::jsonb) AS e
   WHERE (e ->> 'indexrelid')::oid = indexid AND (e ->> 'dropped') IS NULL;
END;

CREATE FUNCTION hypopg_drop_index(indexid oid) RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog AS $fn$
DECLARE
  state jsonb := coalesce(nullif(current_setting('hypopg.standin_indexes', true), ''), '[]')::jsonb;
  i integer;
BEGIN
  FOR i IN 0 .. jsonb_array_length(state) - 1 LOOP
    IF (state -> i ->> 'indexrelid')::oid = indexid AND (state -> i ->> 'dropped') IS NULL THEN
      state := jsonb_set(state, ARRAY[i::text, 'dropped'], 'true');
      PERFORM set_config('hypopg.standin_indexes', state::text, false);
      RETURN true;
    END IF;
  END LOOP;
  RETURN false;
END
$fn$;

CREATE FUNCTION hypopg_reset() RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog AS $fn$
BEGIN
  PERFORM set_config('hypopg.standin_indexes', '[]', false);
END
$fn$;
