-- pgrelease stand-in for shadow replays, NOT the real pg_cron extension.
--
-- Reproduces pg_cron 1.6's schema "cron" (the extension itself belongs to pg_catalog, as
-- with the real one): cron.job, cron.job_run_details, their sequences and row security,
-- and cron.schedule / schedule_in_database / unschedule / alter_job with the real
-- signatures and behaviour on the job table (a named job is replaced by a new schedule
-- with the same name; unscheduling an unknown job raises; schedules are validated).
--
--   FAKED:  there is no scheduler: jobs are recorded and never run, so
--           cron.job_run_details stays empty. The database named by cron.database_name is
--           not enforced (the real extension can only be created in that database), and
--           shared_preload_libraries is not needed.

-- Hosted Supabase's supautils overrides the schema of `create extension pg_cron` with pg_catalog
-- (extensions_parameter_overrides in the supabase/postgres image's supautils.conf), so
-- `create extension pg_cron with schema extensions` puts the extension in pg_catalog and its objects
-- in cron. The control file names no schema, so any schema is accepted, and the last statements
-- move the extension to pg_catalog (and drop its dependency on the named schema), as there.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_cron" to load this file. \quit

CREATE SCHEMA cron;

CREATE SEQUENCE cron.jobid_seq;
CREATE TABLE cron.job (
  jobid bigint PRIMARY KEY DEFAULT pg_catalog.nextval('cron.jobid_seq'),
  schedule text NOT NULL,
  command text NOT NULL,
  nodename text NOT NULL DEFAULT 'localhost',
  nodeport int NOT NULL DEFAULT pg_catalog.current_setting('port')::int,
  database text NOT NULL DEFAULT pg_catalog.current_database(),
  username text NOT NULL DEFAULT CURRENT_USER,
  active boolean NOT NULL DEFAULT true,
  jobname text
);
ALTER SEQUENCE cron.jobid_seq OWNED BY cron.job.jobid;
CREATE UNIQUE INDEX jobname_username_uniq ON cron.job (jobname, username);

CREATE SEQUENCE cron.runid_seq;
CREATE TABLE cron.job_run_details (
  jobid bigint,
  runid bigint PRIMARY KEY DEFAULT pg_catalog.nextval('cron.runid_seq'),
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);
ALTER SEQUENCE cron.runid_seq OWNED BY cron.job_run_details.runid;

GRANT USAGE ON SCHEMA cron TO PUBLIC;
GRANT SELECT ON cron.job TO PUBLIC;
GRANT SELECT, DELETE ON cron.job_run_details TO PUBLIC;

ALTER TABLE cron.job ENABLE ROW LEVEL SECURITY;
ALTER TABLE cron.job_run_details ENABLE ROW LEVEL SECURITY;
CREATE POLICY cron_job_policy ON cron.job USING (username OPERATOR(pg_catalog.=) CURRENT_USER);
CREATE POLICY cron_job_run_details_policy ON cron.job_run_details USING (username OPERATOR(pg_catalog.=) CURRENT_USER);

SELECT pg_catalog.pg_extension_config_dump('cron.job', '');
SELECT pg_catalog.pg_extension_config_dump('cron.job_run_details', '');
SELECT pg_catalog.pg_extension_config_dump('cron.jobid_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cron.runid_seq', '');

-- validates a schedule like pg_cron's parser (NULL passes, for alter_job)
CREATE FUNCTION cron._standin_check_schedule(schedule text) RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog AS $fn$
DECLARE
  s text := btrim(schedule);
  field text;
BEGIN
  IF schedule IS NULL THEN
    RETURN NULL;
  END IF;
  IF s ~* '^@(yearly|annually|monthly|weekly|daily|hourly|reboot)$' THEN
    RETURN s;
  END IF;
  IF s ~* '^([1-9]|[1-5][0-9]) seconds?$' THEN
    RETURN s;
  END IF;
  IF array_length(regexp_split_to_array(s, '\s+'), 1) = 5 THEN
    FOREACH field IN ARRAY regexp_split_to_array(s, '\s+') LOOP
      IF field !~ '^[0-9A-Za-z*/,$-]+$' THEN
        RAISE EXCEPTION 'invalid schedule: %', schedule;
      END IF;
    END LOOP;
    RETURN s;
  END IF;
  RAISE EXCEPTION 'invalid schedule: %', schedule
    USING HINT = 'Use cron format (e.g. 5 4 * * *), or interval format ''[1-59] seconds''';
END
$fn$;

CREATE FUNCTION cron.schedule(schedule text, command text) RETURNS bigint
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog AS $fn$
DECLARE
  new_id bigint;
BEGIN
  INSERT INTO cron.job (schedule, command)
  VALUES (cron._standin_check_schedule(schedule), command)
  RETURNING jobid INTO new_id;
  RETURN new_id;
END
$fn$;

CREATE FUNCTION cron.schedule(job_name text, schedule text, command text) RETURNS bigint
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog AS $fn$
DECLARE
  new_id bigint;
BEGIN
  INSERT INTO cron.job (jobname, schedule, command)
  VALUES (job_name, cron._standin_check_schedule(schedule), command)
  ON CONFLICT (jobname, username) DO UPDATE
    SET schedule = EXCLUDED.schedule, command = EXCLUDED.command, active = true
  RETURNING jobid INTO new_id;
  RETURN new_id;
END
$fn$;

CREATE FUNCTION cron.schedule_in_database(
  job_name text, schedule text, command text, database text,
  username text DEFAULT NULL, active boolean DEFAULT true
) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog AS $fn$
DECLARE
  new_id bigint;
BEGIN
  IF job_name IS NULL OR schedule IS NULL OR command IS NULL OR database IS NULL THEN
    RAISE EXCEPTION 'job_name, schedule, command and database must not be null';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = schedule_in_database.database) THEN
    RAISE EXCEPTION 'database "%" does not exist', database;
  END IF;
  INSERT INTO cron.job (jobname, schedule, command, database, username, active)
  VALUES (job_name, cron._standin_check_schedule(schedule), command, database,
          coalesce(schedule_in_database.username, CURRENT_USER::text), coalesce(schedule_in_database.active, true))
  ON CONFLICT (jobname, username) DO UPDATE
    SET schedule = EXCLUDED.schedule, command = EXCLUDED.command, database = EXCLUDED.database,
        active = EXCLUDED.active
  RETURNING jobid INTO new_id;
  RETURN new_id;
END
$fn$;

CREATE FUNCTION cron.unschedule(job_id bigint) RETURNS boolean
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog AS $fn$
BEGIN
  DELETE FROM cron.job WHERE jobid = job_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'could not find valid entry for job %', job_id;
  END IF;
  RETURN true;
END
$fn$;

CREATE FUNCTION cron.unschedule(job_name text) RETURNS boolean
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog AS $fn$
BEGIN
  DELETE FROM cron.job WHERE jobname = job_name AND username = CURRENT_USER;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'could not find valid entry for job ''%''', job_name;
  END IF;
  RETURN true;
END
$fn$;

CREATE FUNCTION cron.alter_job(
  job_id bigint,
  schedule text DEFAULT NULL,
  command text DEFAULT NULL,
  database text DEFAULT NULL,
  username text DEFAULT NULL,
  active boolean DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog AS $fn$
BEGIN
  UPDATE cron.job j
     SET schedule = coalesce(cron._standin_check_schedule(alter_job.schedule), j.schedule),
         command = coalesce(alter_job.command, j.command),
         database = coalesce(alter_job.database, j.database),
         username = coalesce(alter_job.username, j.username),
         active = coalesce(alter_job.active, j.active)
   WHERE j.jobid = job_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Job % does not exist or you don''t own it', job_id;
  END IF;
END
$fn$;

CREATE FUNCTION cron.job_cache_invalidate() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN NULL;  -- the real one tells the scheduler to reload; there is no scheduler here
END
$fn$;

CREATE TRIGGER cron_job_cache_invalidate
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cron.job
  FOR EACH STATEMENT EXECUTE FUNCTION cron.job_cache_invalidate();

-- as hosted Supabase: the extension belongs to pg_catalog whatever schema CREATE EXTENSION named
DELETE FROM pg_catalog.pg_depend
 WHERE classid = 'pg_catalog.pg_extension'::pg_catalog.regclass
   AND objid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')
   AND refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass;
UPDATE pg_catalog.pg_extension SET extnamespace = 'pg_catalog'::pg_catalog.regnamespace WHERE extname = 'pg_cron';
