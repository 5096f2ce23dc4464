-- pgrelease stand-in for shadow replays, NOT the real pgmq extension: update 1.4.4 -> 1.5.1.
--
-- What pgmq 1.5.0 and 1.5.1 changed (pgmq-extension/sql/pgmq--1.4.5--1.5.0.sql and
-- pgmq--1.5.0--1.5.1.sql in github.com/pgmq/pgmq), which is what Supabase ships on its
-- PostgreSQL 15 and 17 images (supabase/postgres nix/ext/versions.json: pgmq 1.5.1):
--   message headers (a jsonb column of every queue and archive table, an attribute of
--   pgmq.message_record; send / send_batch overloads that take headers or a timestamp delay),
--   conditional reads (read / read_with_poll take `conditional jsonb default '{}'`),
--   queue_visible_length in pgmq.metrics_result, drop_queue(queue_name) beside the
--   deprecated drop_queue(queue_name, partitioned), and pgmq._extension_exists (Supabase's
--   addition to 1.5.1).
-- `create extension pgmq` installs 1.4.4 and then runs this script, so what 1.4.4 had stays.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pgmq UPDATE TO '1.5.1'" to load this file. \quit

ALTER TYPE pgmq.message_record ADD ATTRIBUTE headers jsonb;
ALTER TYPE pgmq.metrics_result ADD ATTRIBUTE queue_visible_length bigint;

CREATE FUNCTION pgmq._extension_exists(extension_name text) RETURNS boolean
LANGUAGE sql AS $fn$
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = extension_name)
$fn$;

CREATE OR REPLACE FUNCTION pgmq._create_queue(queue_name text, unlogged boolean) RETURNS void
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
       message jsonb,
       headers jsonb)', CASE WHEN unlogged THEN 'UNLOGGED' ELSE '' END, qtable);
  EXECUTE format(
    'CREATE TABLE IF NOT EXISTS pgmq.%I (
       msg_id bigint PRIMARY KEY,
       read_ct integer DEFAULT 0 NOT NULL,
       enqueued_at timestamptz DEFAULT now() NOT NULL,
       archived_at timestamptz DEFAULT now() NOT NULL,
       vt timestamptz NOT NULL,
       message jsonb,
       headers jsonb)', atable);
  IF pgmq._extension_exists('pgmq') THEN
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

-- queues made under 1.4.4 get the headers column, as pgmq's own update does
DO $update$
DECLARE
  q record;
BEGIN
  FOR q IN SELECT queue_name FROM pgmq.meta LOOP
    EXECUTE format('ALTER TABLE pgmq.%I ADD COLUMN IF NOT EXISTS headers jsonb', pgmq.format_table_name(q.queue_name, 'q'));
    EXECUTE format('ALTER TABLE pgmq.%I ADD COLUMN IF NOT EXISTS headers jsonb', pgmq.format_table_name(q.queue_name, 'a'));
  END LOOP;
END
$update$;

-- drop_queue(queue_name) and the deprecated two-argument form
DROP FUNCTION pgmq.drop_queue(text, boolean);
CREATE FUNCTION pgmq.drop_queue(queue_name text) RETURNS boolean
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
CREATE FUNCTION pgmq.drop_queue(queue_name text, partitioned boolean) RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE WARNING 'drop_queue(queue_name, partitioned) is deprecated and will be removed in PGMQ v2.0. Use drop_queue(queue_name) instead.';
  PERFORM pgmq.drop_queue(queue_name);
  RETURN true;
END;
$fn$;

-- send / send_batch: headers and timestamp delays
DROP FUNCTION pgmq.send(text, jsonb, integer);
DROP FUNCTION pgmq.send_batch(text, jsonb[], integer);

CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamptz) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format('INSERT INTO pgmq.%I (vt, message, headers) VALUES ($2, $1, $3) RETURNING msg_id',
                              pgmq.format_table_name(queue_name, 'q'))
    USING msg, delay, headers;
END;
$fn$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send(queue_name, msg, NULL, clock_timestamp()) $fn$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send(queue_name, msg, headers, clock_timestamp()) $fn$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send(queue_name, msg, NULL, clock_timestamp() + make_interval(secs => delay)) $fn$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, delay timestamptz) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send(queue_name, msg, NULL, delay) $fn$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send(queue_name, msg, headers, clock_timestamp() + make_interval(secs => delay)) $fn$;

CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamptz) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'INSERT INTO pgmq.%I (vt, message, headers)
     SELECT $2, unnest($1), unnest(coalesce($3, ARRAY[]::jsonb[]))
     RETURNING msg_id', pgmq.format_table_name(queue_name, 'q'))
    USING msgs, delay, headers;
END;
$fn$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[]) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL, clock_timestamp()) $fn$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[]) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send_batch(queue_name, msgs, headers, clock_timestamp()) $fn$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay integer) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
  SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL, clock_timestamp() + make_interval(secs => delay))
$fn$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamptz) RETURNS SETOF bigint
LANGUAGE sql AS $fn$ SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL, delay) $fn$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
  SELECT * FROM pgmq.send_batch(queue_name, msgs, headers, clock_timestamp() + make_interval(secs => delay))
$fn$;

-- reads: conditional, and the headers column
DROP FUNCTION pgmq.read_with_poll(text, integer, integer, integer, integer);
DROP FUNCTION pgmq.read(text, integer, integer);
CREATE FUNCTION pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb DEFAULT '{}')
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH cte AS (
       SELECT msg_id FROM pgmq.%1$I
        WHERE vt <= clock_timestamp() AND ($3 = ''{}''::jsonb OR message @> $3)
        ORDER BY msg_id ASC
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
     UPDATE pgmq.%1$I m
        SET vt = clock_timestamp() + make_interval(secs => $2), read_ct = read_ct + 1
       FROM cte
      WHERE m.msg_id = cte.msg_id
     RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers',
    pgmq.format_table_name(queue_name, 'q'))
    USING qty, vt, coalesce(conditional, '{}'::jsonb);
END;
$fn$;
CREATE FUNCTION pgmq.read_with_poll(
  queue_name text, vt integer, qty integer, max_poll_seconds integer DEFAULT 5, poll_interval_ms integer DEFAULT 100,
  conditional jsonb DEFAULT '{}'
) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
DECLARE
  stop_at timestamptz := clock_timestamp() + make_interval(secs => max_poll_seconds);
  found_any boolean;
  msg pgmq.message_record;
BEGIN
  LOOP
    found_any := false;
    FOR msg IN SELECT * FROM pgmq.read(queue_name, read_with_poll.vt, qty, conditional) LOOP
      found_any := true;
      RETURN NEXT msg;
    END LOOP;
    EXIT WHEN found_any OR clock_timestamp() >= stop_at;
    PERFORM pg_sleep(poll_interval_ms / 1000.0);
  END LOOP;
END;
$fn$;

CREATE OR REPLACE FUNCTION pgmq.pop(queue_name text) RETURNS SETOF pgmq.message_record
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
     RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers',
    pgmq.format_table_name(queue_name, 'q'));
END;
$fn$;

CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt integer) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'UPDATE pgmq.%I SET vt = clock_timestamp() + make_interval(secs => $1) WHERE msg_id = $2
     RETURNING msg_id, read_ct, enqueued_at, vt, message, headers',
    pgmq.format_table_name(queue_name, 'q'))
    USING vt, msg_id;
END;
$fn$;

CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH archived AS (
       DELETE FROM pgmq.%I WHERE msg_id = ANY($1)
       RETURNING msg_id, vt, read_ct, enqueued_at, message, headers)
     INSERT INTO pgmq.%I (msg_id, vt, read_ct, enqueued_at, message, headers)
     SELECT msg_id, vt, read_ct, enqueued_at, message, headers FROM archived
     RETURNING msg_id',
    pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a'))
    USING msg_ids;
END;
$fn$;

CREATE OR REPLACE FUNCTION pgmq.metrics(queue_name text) RETURNS pgmq.metrics_result
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
            $2, clock_timestamp(), count(*) FILTER (WHERE vt <= clock_timestamp())
       FROM pgmq.%I', qtable)
    INTO result
    USING queue_name, sent;
  RETURN result;
END;
$fn$;
