-- pgrelease stand-in for shadow replays, NOT the real plpgsql_check extension.
--
-- plpgsql_check (github.com/okbob/plpgsql_check) lints PL/pgSQL functions; migrations create it,
-- tests call plpgsql_check_function(...) and expect no rows for healthy functions.
--
--   real:   plpgsql_check_function / plpgsql_check_function_tb (by regprocedure and by name), with
--           the real arguments and defaults and output shape (text, or the table of functionid,
--           lineno, statement, sqlstate, message, detail, hint, level, position, query, context);
--           the argument must be a PL/pgSQL function (same error otherwise); plpgsql_check_pragma,
--           plpgsql_show_dependency_tb, the profiler on/off switches and plpgsql_check_profiler.
--   ABSENT: the checks themselves (no static analysis is done: every function passes) and
--           profiling data (the profiler functions return nothing).

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION plpgsql_check" to load this file. \quit

CREATE FUNCTION @extschema@.__plpgsql_check_target(funcoid regprocedure) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
                  WHERE p.oid = funcoid AND l.lanname = 'plpgsql') THEN
    RAISE EXCEPTION '% is not a plpgsql function', funcoid USING ERRCODE = '42P13';
  END IF;
END;
$fn$;

CREATE FUNCTION plpgsql_check_function(funcoid regprocedure, relid regclass DEFAULT 0, format text DEFAULT 'text',
  fatal_errors boolean DEFAULT true, other_warnings boolean DEFAULT true, performance_warnings boolean DEFAULT false,
  extra_warnings boolean DEFAULT true, security_warnings boolean DEFAULT false,
  compatibility_warnings boolean DEFAULT false, oldtable name DEFAULT NULL, newtable name DEFAULT NULL,
  anyelememttype regtype DEFAULT 'int', anyenumtype regtype DEFAULT '-', anyrangetype regtype DEFAULT 'int4range',
  anycompatibletype regtype DEFAULT 'int', anycompatiblerangetype regtype DEFAULT 'int4range',
  without_warnings boolean DEFAULT false, all_warnings boolean DEFAULT false,
  use_incomment_options boolean DEFAULT true, incomment_options_usage_warning boolean DEFAULT false,
  constant_tracing boolean DEFAULT true)
RETURNS SETOF text LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM @extschema@.__plpgsql_check_target(funcoid);
  IF lower(format) NOT IN ('text', 'json', 'xml') THEN
    RAISE EXCEPTION 'unknown format "%"', format USING ERRCODE = '22023';
  END IF;
  RETURN;  -- the stand-in finds nothing
END;
$fn$;
CREATE FUNCTION plpgsql_check_function(name text, relid regclass DEFAULT 0, format text DEFAULT 'text',
  fatal_errors boolean DEFAULT true, other_warnings boolean DEFAULT true, performance_warnings boolean DEFAULT false,
  extra_warnings boolean DEFAULT true, security_warnings boolean DEFAULT false,
  compatibility_warnings boolean DEFAULT false, oldtable name DEFAULT NULL, newtable name DEFAULT NULL,
  anyelememttype regtype DEFAULT 'int', anyenumtype regtype DEFAULT '-', anyrangetype regtype DEFAULT 'int4range',
  anycompatibletype regtype DEFAULT 'int', anycompatiblerangetype regtype DEFAULT 'int4range',
  without_warnings boolean DEFAULT false, all_warnings boolean DEFAULT false,
  use_incomment_options boolean DEFAULT true, incomment_options_usage_warning boolean DEFAULT false,
  constant_tracing boolean DEFAULT true)
RETURNS SETOF text LANGUAGE sql AS $fn$
  SELECT @extschema@.plpgsql_check_function(name::regprocedure, relid, format)
$fn$;

CREATE FUNCTION plpgsql_check_function_tb(funcoid regprocedure, relid regclass DEFAULT 0,
  fatal_errors boolean DEFAULT true, other_warnings boolean DEFAULT true, performance_warnings boolean DEFAULT false,
  extra_warnings boolean DEFAULT true, security_warnings boolean DEFAULT false,
  compatibility_warnings boolean DEFAULT false, oldtable name DEFAULT NULL, newtable name DEFAULT NULL,
  anyelememttype regtype DEFAULT 'int', anyenumtype regtype DEFAULT '-', anyrangetype regtype DEFAULT 'int4range',
  anycompatibletype regtype DEFAULT 'int', anycompatiblerangetype regtype DEFAULT 'int4range',
  without_warnings boolean DEFAULT false, all_warnings boolean DEFAULT false,
  use_incomment_options boolean DEFAULT true, incomment_options_usage_warning boolean DEFAULT false,
  constant_tracing boolean DEFAULT true,
  OUT functionid regproc, OUT lineno integer, OUT statement text, OUT sqlstate text, OUT message text,
  OUT detail text, OUT hint text, OUT level text, OUT "position" integer, OUT query text, OUT context text)
RETURNS SETOF record LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM @extschema@.__plpgsql_check_target(funcoid);
  RETURN;
END;
$fn$;
CREATE FUNCTION plpgsql_check_function_tb(name text, relid regclass DEFAULT 0,
  fatal_errors boolean DEFAULT true, other_warnings boolean DEFAULT true, performance_warnings boolean DEFAULT false,
  extra_warnings boolean DEFAULT true, security_warnings boolean DEFAULT false,
  compatibility_warnings boolean DEFAULT false, oldtable name DEFAULT NULL, newtable name DEFAULT NULL,
  anyelememttype regtype DEFAULT 'int', anyenumtype regtype DEFAULT '-', anyrangetype regtype DEFAULT 'int4range',
  anycompatibletype regtype DEFAULT 'int', anycompatiblerangetype regtype DEFAULT 'int4range',
  without_warnings boolean DEFAULT false, all_warnings boolean DEFAULT false,
  use_incomment_options boolean DEFAULT true, incomment_options_usage_warning boolean DEFAULT false,
  constant_tracing boolean DEFAULT true,
  OUT functionid regproc, OUT lineno integer, OUT statement text, OUT sqlstate text, OUT message text,
  OUT detail text, OUT hint text, OUT level text, OUT "position" integer, OUT query text, OUT context text)
RETURNS SETOF record LANGUAGE sql AS $fn$
  SELECT * FROM @extschema@.plpgsql_check_function_tb(name::regprocedure, relid)
$fn$;

CREATE FUNCTION plpgsql_show_dependency_tb(funcoid regprocedure, relid regclass DEFAULT 0,
  anyelememttype regtype DEFAULT 'int', anyenumtype regtype DEFAULT '-', anyrangetype regtype DEFAULT 'int4range',
  anycompatibletype regtype DEFAULT 'int', anycompatiblerangetype regtype DEFAULT 'int4range',
  oldtable name DEFAULT NULL, newtable name DEFAULT NULL,
  OUT type text, OUT oid oid, OUT schema text, OUT name text, OUT params text)
RETURNS SETOF record LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM @extschema@.__plpgsql_check_target(funcoid);
  RETURN;
END;
$fn$;

CREATE FUNCTION plpgsql_check_pragma(VARIADIC name text[]) RETURNS integer LANGUAGE sql IMMUTABLE AS
$fn$ SELECT 1 $fn$;
CREATE FUNCTION plpgsql_profiler_reset_all() RETURNS void LANGUAGE sql AS $fn$ SELECT $fn$;
CREATE FUNCTION plpgsql_profiler_reset(funcoid regprocedure) RETURNS void LANGUAGE sql AS $fn$ SELECT $fn$;
CREATE FUNCTION plpgsql_check_profiler(enable boolean DEFAULT NULL) RETURNS boolean LANGUAGE sql AS
$fn$ SELECT coalesce(enable, false) $fn$;
CREATE FUNCTION plpgsql_check_tracer(enable boolean DEFAULT NULL, verbosity text DEFAULT NULL) RETURNS boolean
LANGUAGE sql AS $fn$ SELECT coalesce(enable, false) $fn$;
