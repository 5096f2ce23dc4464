-- pgrelease stand-in for shadow replays, NOT the real pgroonga_database extension.
--
--   real:   pgroonga_database_remove(), which drops the Groonga database files (none here).
--   ABSENT: nothing else: the real module has no other SQL interface.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pgroonga_database" to load this file. \quit

CREATE FUNCTION @extschema@.pgroonga_database_remove() RETURNS boolean LANGUAGE sql AS $fn$ SELECT true $fn$;
