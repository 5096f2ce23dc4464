-- pgrelease stand-in for shadow replays, NOT the real pgmq extension.
--
-- Supabase Queues is pgmq: `create extension pgmq` (the dashboard writes `create schema if not
-- exists pgmq; create extension if not exists pgmq with schema pgmq version '1.4.4'`), then
-- `select pgmq.create('jobs')`, grants on pgmq.meta and `alter table pgmq.q_jobs enable row
-- level security` in migrations, and pgmq.send / read / pop / archive / delete in functions.
-- pgmq is written in SQL itself; this reproduces the 1.4 API it exposes:
--
--   real:   schema pgmq (its objects live there whatever schema the extension is created in),
--           pgmq.meta, the record types, create / create_non_partitioned / create_unlogged /
--           drop_queue / purge_queue, send / send_batch with a delay, read (visibility timeout,
--           read_ct, FOR UPDATE SKIP LOCKED), read_with_poll, pop, set_vt, archive and delete
--           (one id or an array), list_queues, metrics / metrics_all. A queue is the tables
--           pgmq.q_<name> and pgmq.a_<name>, added to the extension like pgmq does.
--   ABSENT: partitioned queues (create_partitioned needs pg_partman: it raises), the 1.5+
--           conditional reads, and the pgmq_public wrappers (the dashboard creates those).

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pgmq" to load this file. \quit

-- The dashboard creates schema pgmq before the extension; otherwise the extension makes it.
DO $schema$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'pgmq') THEN
    CREATE SCHEMA pgmq;
  END IF;
END
$schema$;

CREATE TABLE pgmq.meta (
  queue_name varchar UNIQUE NOT NULL,
  is_partitioned boolean NOT NULL,
  is_unlogged boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE pgmq.message_record AS (
  msg_id bigint,
  read_ct integer,
  enqueued_at timestamptz,
  vt timestamptz,
  message jsonb
);

CREATE TYPE pgmq.queue_record AS (
  queue_name varchar,
  is_partitioned boolean,
  is_unlogged boolean,
  created_at timestamptz
);

CREATE TYPE pgmq.metrics_result AS (
  queue_name text,
  queue_length bigint,
  newest_msg_age_sec integer,
  oldest_msg_age_sec integer,
  total_messages bigint,
  scrape_time timestamptz
);

CREATE FUNCTION pgmq.format_table_name(queue_name text, prefix text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF queue_name ~ '\$|;|--|''' THEN
    RAISE EXCEPTION 'queue name contains invalid characters: $, ;, --, or \''';
  END IF;
  RETURN lower(prefix || '_' || queue_name);
END;
$fn$;

CREATE FUNCTION pgmq.validate_queue_name(queue_name text) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF length(queue_name) >= 48 THEN
    RAISE EXCEPTION 'queue name is too long, maximum length is 48 characters';
  END IF;
END;
$fn$;

CREATE FUNCTION pgmq._belongs_to_pgmq(table_name text) RETURNS boolean
LANGUAGE sql AS $fn$
  SELECT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
     WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'pgmq')
       AND d.objid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'pgmq' AND c.relname = table_name)
       AND d.deptype = 'e');
$fn$;

CREATE FUNCTION pgmq._create_queue(queue_name text, unlogged boolean) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  qtable text := pgmq.format_table_name(queue_name, 'q');
  atable text := pgmq.format_table_name(queue_name, 'a');
BEGIN
  PERFORM pgmq.validate_queue_name(queue_name);
  EXECUTE format(
    'CREATE %s TABLE IF NOT EXISTS pgmq.%I (
       msg_id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
       read_ct integer DEFAULT 0 NOT NULL,
       enqueued_at timestamptz DEFAULT now() NOT NULL,
       vt timestamptz NOT NULL,
       message jsonb)', CASE WHEN unlogged THEN 'UNLOGGED' ELSE '' END, qtable);
  EXECUTE format(
    'CREATE TABLE IF NOT EXISTS pgmq.%I (
       msg_id bigint PRIMARY KEY,
       read_ct integer DEFAULT 0 NOT NULL,
       enqueued_at timestamptz DEFAULT now() NOT NULL,
       archived_at timestamptz DEFAULT now() NOT NULL,
       vt timestamptz NOT NULL,
       message jsonb)', atable);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pgmq') THEN
    IF NOT pgmq._belongs_to_pgmq(qtable) THEN
      EXECUTE format('ALTER EXTENSION pgmq ADD TABLE pgmq.%I', qtable);
    END IF;
    IF NOT pgmq._belongs_to_pgmq(atable) THEN
      EXECUTE format('ALTER EXTENSION pgmq ADD TABLE pgmq.%I', atable);
    END IF;
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (vt ASC)', qtable || '_vt_idx', qtable);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (archived_at)', 'archived_at_idx_' || queue_name, atable);
  INSERT INTO pgmq.meta (queue_name, is_partitioned, is_unlogged)
  VALUES (queue_name, false, unlogged)
  ON CONFLICT DO NOTHING;
END;
$fn$;

CREATE FUNCTION pgmq.create_non_partitioned(queue_name text) RETURNS void
LANGUAGE sql AS $fn$ SELECT pgmq._create_queue(queue_name, false) $fn$;

CREATE FUNCTION pgmq.create_unlogged(queue_name text) RETURNS void
LANGUAGE sql AS $fn$ SELECT pgmq._create_queue(queue_name, true) $fn$;

CREATE FUNCTION pgmq."create"(queue_name text) RETURNS void
LANGUAGE sql AS $fn$ SELECT pgmq._create_queue(queue_name, false) $fn$;

CREATE FUNCTION pgmq.create_partitioned(
  queue_name text, partition_interval text DEFAULT '10000', retention_interval text DEFAULT '100000'
) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'pgmq stand-in: partitioned queues need pg_partman, which the shadow does not have'
    USING HINT = 'use pgmq.create() for the shadow replay, or --shadow-url with a server that has pgmq and pg_partman';
END;
$fn$;

CREATE FUNCTION pgmq.drop_queue(queue_name text, partitioned boolean DEFAULT false) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  qtable text := pgmq.format_table_name(queue_name, 'q');
  atable text := pgmq.format_table_name(queue_name, 'a');
BEGIN
  IF pgmq._belongs_to_pgmq(qtable) THEN
    EXECUTE format('ALTER EXTENSION pgmq DROP TABLE pgmq.%I', qtable);
  END IF;
  IF pgmq._belongs_to_pgmq(atable) THEN
    EXECUTE format('ALTER EXTENSION pgmq DROP TABLE pgmq.%I', atable);
  END IF;
  EXECUTE format('DROP TABLE IF EXISTS pgmq.%I', qtable);
  EXECUTE format('DROP TABLE IF EXISTS pgmq.%I', atable);
  DELETE FROM pgmq.meta WHERE meta.queue_name = drop_queue.queue_name;
  RETURN true;
END;
$fn$;

CREATE FUNCTION pgmq.purge_queue(queue_name text) RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
  deleted_count bigint;
BEGIN
  EXECUTE format('WITH deleted AS (DELETE FROM pgmq.%I RETURNING msg_id) SELECT count(*) FROM deleted',
                 pgmq.format_table_name(queue_name, 'q'))
    INTO deleted_count;
  RETURN deleted_count;
END;
$fn$;

CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer DEFAULT 0) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'INSERT INTO pgmq.%I (vt, message) VALUES (clock_timestamp() + make_interval(secs => $1), $2) RETURNING msg_id',
    pgmq.format_table_name(queue_name, 'q'))
    USING delay, msg;
END;
$fn$;

CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay integer DEFAULT 0) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'INSERT INTO pgmq.%I (vt, message)
     SELECT clock_timestamp() + make_interval(secs => $1), m FROM unnest($2) AS m
     RETURNING msg_id',
    pgmq.format_table_name(queue_name, 'q'))
    USING delay, msgs;
END;
$fn$;

CREATE FUNCTION pgmq.read(queue_name text, vt integer, qty integer) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH cte AS (
       SELECT msg_id FROM pgmq.%1$I
        WHERE vt <= clock_timestamp()
        ORDER BY msg_id ASC
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
     UPDATE pgmq.%1$I m
        SET vt = clock_timestamp() + make_interval(secs => $2), read_ct = read_ct + 1
       FROM cte
      WHERE m.msg_id = cte.msg_id
     RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message',
    pgmq.format_table_name(queue_name, 'q'))
    USING qty, vt;
END;
$fn$;

CREATE FUNCTION pgmq.read_with_poll(
  queue_name text, vt integer, qty integer, max_poll_seconds integer DEFAULT 5, poll_interval_ms integer DEFAULT 100
) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
DECLARE
  stop_at timestamptz := clock_timestamp() + make_interval(secs => max_poll_seconds);
  found_any boolean;
  msg pgmq.message_record;
BEGIN
  LOOP
    found_any := false;
    FOR msg IN SELECT * FROM pgmq.read(queue_name, read_with_poll.vt, qty) LOOP
      found_any := true;
      RETURN NEXT msg;
    END LOOP;
    EXIT WHEN found_any OR clock_timestamp() >= stop_at;
    PERFORM pg_sleep(poll_interval_ms / 1000.0);
  END LOOP;
END;
$fn$;

CREATE FUNCTION pgmq.pop(queue_name text) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH cte AS (
       SELECT msg_id FROM pgmq.%1$I
        WHERE vt <= clock_timestamp()
        ORDER BY msg_id ASC
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
     DELETE FROM pgmq.%1$I m USING cte
      WHERE m.msg_id = cte.msg_id
     RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message',
    pgmq.format_table_name(queue_name, 'q'));
END;
$fn$;

CREATE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt integer) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'UPDATE pgmq.%I SET vt = clock_timestamp() + make_interval(secs => $1) WHERE msg_id = $2
     RETURNING msg_id, read_ct, enqueued_at, vt, message',
    pgmq.format_table_name(queue_name, 'q'))
    USING vt, msg_id;
END;
$fn$;

CREATE FUNCTION pgmq.archive(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH archived AS (
       DELETE FROM pgmq.%I WHERE msg_id = ANY($1)
       RETURNING msg_id, vt, read_ct, enqueued_at, message)
     INSERT INTO pgmq.%I (msg_id, vt, read_ct, enqueued_at, message)
     SELECT msg_id, vt, read_ct, enqueued_at, message FROM archived
     RETURNING msg_id',
    pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a'))
    USING msg_ids;
END;
$fn$;

CREATE FUNCTION pgmq.archive(queue_name text, msg_id bigint) RETURNS boolean
LANGUAGE sql AS $fn$
  SELECT EXISTS (SELECT 1 FROM pgmq.archive(queue_name, ARRAY[msg_id]));
$fn$;

CREATE FUNCTION pgmq.delete(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format('DELETE FROM pgmq.%I WHERE msg_id = ANY($1) RETURNING msg_id',
                              pgmq.format_table_name(queue_name, 'q'))
    USING msg_ids;
END;
$fn$;

CREATE FUNCTION pgmq.delete(queue_name text, msg_id bigint) RETURNS boolean
LANGUAGE sql AS $fn$
  SELECT EXISTS (SELECT 1 FROM pgmq.delete(queue_name, ARRAY[msg_id]));
$fn$;

CREATE FUNCTION pgmq.list_queues() RETURNS SETOF pgmq.queue_record
LANGUAGE sql AS $fn$
  SELECT queue_name, is_partitioned, is_unlogged, created_at FROM pgmq.meta ORDER BY queue_name;
$fn$;

CREATE FUNCTION pgmq.metrics(queue_name text) RETURNS pgmq.metrics_result
LANGUAGE plpgsql AS $fn$
DECLARE
  qtable text := pgmq.format_table_name(queue_name, 'q');
  result pgmq.metrics_result;
  sent bigint;
BEGIN
  EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %s',
                 pg_catalog.pg_get_serial_sequence(format('pgmq.%I', qtable), 'msg_id'))
    INTO sent;
  EXECUTE format(
    'SELECT $1::text, count(*),
            extract(epoch FROM (clock_timestamp() - max(enqueued_at)))::integer,
            extract(epoch FROM (clock_timestamp() - min(enqueued_at)))::integer,
            $2, clock_timestamp()
       FROM pgmq.%I', qtable)
    INTO result
    USING queue_name, sent;
  RETURN result;
END;
$fn$;

CREATE FUNCTION pgmq.metrics_all() RETURNS SETOF pgmq.metrics_result
LANGUAGE sql AS $fn$
  SELECT (pgmq.metrics(queue_name)).* FROM pgmq.meta ORDER BY queue_name;
$fn$;
