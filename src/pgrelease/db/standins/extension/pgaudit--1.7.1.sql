-- pgrelease stand-in for shadow replays, NOT the real pgaudit extension.
--
-- pgaudit logs statements; on Supabase it is enabled with `create extension pgaudit` and
-- configured with `alter role ... set pgaudit.log = '...'` (docs: database/extensions/pgaudit).
-- Supabase ships 1.7.1 on PostgreSQL 15 and 17.1 on PostgreSQL 17 (nix/ext/versions.json).
--
--   real:   the event triggers pgaudit_ddl_command_end and pgaudit_sql_drop with their functions,
--           as the real extension creates them; `set pgaudit.log` and friends are accepted
--           (placeholder settings, since the module is not loaded).
--   ABSENT: the audit log itself (nothing is written) and the validation of pgaudit.* values.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pgaudit" to load this file. \quit

CREATE FUNCTION pgaudit_ddl_command_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN END $fn$;
CREATE EVENT TRIGGER pgaudit_ddl_command_end ON ddl_command_end EXECUTE FUNCTION pgaudit_ddl_command_end();

CREATE FUNCTION pgaudit_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN END $fn$;
CREATE EVENT TRIGGER pgaudit_sql_drop ON sql_drop EXECUTE FUNCTION pgaudit_sql_drop();
