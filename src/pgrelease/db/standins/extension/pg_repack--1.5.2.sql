-- pgrelease stand-in for shadow replays, NOT the real pg_repack extension.
--
-- pg_repack rebuilds bloated tables online; the extension is what its command-line client calls.
-- Migrations only `create extension pg_repack` (Supabase ships 1.5.2, nix/ext/versions.json).
--
--   real:   schema repack (made by the extension, whatever schema it is created in), repack.version(),
--           repack.version_sql(), repack.oid2text(oid), the views repack.tables and
--           repack.primary_keys that the client reads, repack.conflicted_triggers(oid),
--           repack.disable_autovacuum(regclass).
--   ABSENT: the rebuild itself (repack_apply, repack_swap, ... are C functions of the real one).

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_repack" to load this file. \quit

CREATE SCHEMA repack;

CREATE FUNCTION repack.version() RETURNS text LANGUAGE sql IMMUTABLE AS $fn$ SELECT 'pg_repack 1.5.2'::text $fn$;
CREATE FUNCTION repack.version_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $fn$ SELECT 'pg_repack 1.5.2'::text $fn$;
CREATE FUNCTION repack.oid2text(oid) RETURNS text LANGUAGE sql STABLE STRICT AS
$fn$ SELECT $1::regclass::text $fn$;

CREATE VIEW repack.primary_keys AS
  SELECT indrelid, min(indexrelid) AS indexrelid
    FROM (SELECT indrelid, indexrelid FROM pg_catalog.pg_index
           WHERE indisunique AND indisvalid AND indpred IS NULL AND 0 <> ALL (indkey)
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                              WHERE attrelid = indrelid AND attnum = ANY (indkey) AND NOT attnotnull)
           ORDER BY indrelid, indisprimary DESC, indnatts, indkey) tmp
   GROUP BY indrelid;

CREATE VIEW repack.tables AS
  SELECT repack.oid2text(r.oid) AS relname, r.oid AS relid, r.reltoastrelid, n.nspname AS schemaname,
         pk.indexrelid AS pkid, ck.indexrelid AS ckid
    FROM pg_catalog.pg_class r
    JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
    LEFT JOIN repack.primary_keys pk ON r.oid = pk.indrelid
    LEFT JOIN (SELECT cki.indexrelid, cki.indrelid FROM pg_catalog.pg_index cki WHERE cki.indisclustered) ck
      ON r.oid = ck.indrelid
   WHERE r.relkind IN ('r', 'p') AND r.relpersistence = 'p'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_temp\_%';

CREATE FUNCTION repack.conflicted_triggers(oid) RETURNS SETOF name LANGUAGE sql STABLE STRICT AS $fn$
  SELECT tgname FROM pg_catalog.pg_trigger
   WHERE tgrelid = $1 AND tgname = 'repack_trigger' ORDER BY tgname
$fn$;
CREATE FUNCTION repack.disable_autovacuum(regclass) RETURNS void LANGUAGE plpgsql STRICT AS $fn$
BEGIN
  EXECUTE format('ALTER TABLE %s SET (autovacuum_enabled = off)', $1);
END;
$fn$;
