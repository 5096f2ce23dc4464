-- pgrelease stand-in for shadow replays, NOT the real TimescaleDB extension.
--
-- Supabase's PostgreSQL 15 image carries TimescaleDB 2.16.1, Apache 2 Edition (built with
-- -DAPACHE_ONLY=1, supabase/postgres nix/ext/timescaledb.nix); PostgreSQL 17 projects have no
-- TimescaleDB at all. This reproduces what migrations call:
--
--   real:   the user-facing functions in the extension's schema: create_hypertable (the classic
--           form with time_column_name, and the 2.13+ form with by_range / by_hash), by_range,
--           by_hash, add_dimension, set_chunk_time_interval, set_number_partitions, show_chunks,
--           drop_chunks (no chunks exist, so nothing is dropped), hypertable_size and friends,
--           time_bucket (interval and integer widths, timestamptz / timestamp / date, origin and
--           offset) and timescaledb_information.hypertables / .dimensions. create_hypertable
--           checks what the real one checks (the table exists and is not already a hypertable,
--           the column exists and is a time or integer type, the table is empty unless
--           migrate_data), sets the time column NOT NULL and creates the default (time DESC) index.
--           The Timescale License (TSL) features are refused as on Supabase: add_retention_policy,
--           add_compression_policy, compress_chunk, continuous aggregate and job functions raise
--           0A000 'function "..." is not supported under the current "apache" license'.
--           The catalog of hypertables follows DROP TABLE / DROP SCHEMA (an sql_drop event
--           trigger named as the real one, timescaledb_ddl_sql_drop), so a table dropped and
--           created again can be made a hypertable again.
--   ABSENT: renames of a hypertable are not followed (its catalog row keeps the old name);
--           chunks and the planner/storage hooks (rows stay in the table itself);
--           integer chunk_time_interval / partition_interval arguments (intervals only);
--           ALTER TABLE ... SET (timescaledb.compress) and WITH (timescaledb.continuous) views,
--           which hosted Supabase refuses anyway (TSL).

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION timescaledb" to load this file. \quit

CREATE SCHEMA _timescaledb_catalog;
CREATE SCHEMA _timescaledb_functions;
CREATE SCHEMA _timescaledb_internal;
CREATE SCHEMA _timescaledb_config;
CREATE SCHEMA _timescaledb_cache;
CREATE SCHEMA _timescaledb_debug;
CREATE SCHEMA timescaledb_information;
CREATE SCHEMA timescaledb_experimental;
GRANT USAGE ON SCHEMA _timescaledb_catalog, _timescaledb_functions, _timescaledb_internal, _timescaledb_config,
  _timescaledb_cache, timescaledb_information, timescaledb_experimental TO PUBLIC;

CREATE TABLE _timescaledb_catalog.hypertable (
  id serial PRIMARY KEY,
  schema_name name NOT NULL,
  table_name name NOT NULL,
  associated_schema_name name NOT NULL,
  associated_table_prefix name NOT NULL,
  num_dimensions smallint NOT NULL,
  chunk_sizing_func_schema name NOT NULL DEFAULT '_timescaledb_functions',
  chunk_sizing_func_name name NOT NULL DEFAULT 'calculate_chunk_interval',
  chunk_target_size bigint NOT NULL DEFAULT 0,
  compression_state smallint NOT NULL DEFAULT 0,
  compressed_hypertable_id integer,
  status integer NOT NULL DEFAULT 0,
  UNIQUE (schema_name, table_name)
);
CREATE TABLE _timescaledb_catalog.dimension (
  id serial PRIMARY KEY,
  hypertable_id integer NOT NULL REFERENCES _timescaledb_catalog.hypertable (id) ON DELETE CASCADE,
  column_name name NOT NULL,
  column_type regtype NOT NULL,
  aligned boolean NOT NULL,
  num_slices smallint,
  partitioning_func_schema name,
  partitioning_func name,
  interval_length bigint,
  UNIQUE (hypertable_id, column_name)
);
CREATE TABLE _timescaledb_catalog.chunk (
  id serial PRIMARY KEY,
  hypertable_id integer NOT NULL REFERENCES _timescaledb_catalog.hypertable (id) ON DELETE CASCADE,
  schema_name name NOT NULL,
  table_name name NOT NULL
);
GRANT SELECT ON ALL TABLES IN SCHEMA _timescaledb_catalog TO PUBLIC;
-- the real extension writes its catalog from C as the catalog's owner, for any table owner (migrations
-- run as a role that is not a superuser); SQL functions cannot, so the stand-in's catalog is writable
-- (a deviation no migration sees: the functions check ownership as the real ones do)
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA _timescaledb_catalog TO PUBLIC;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA _timescaledb_catalog TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('_timescaledb_catalog.hypertable', '');
SELECT pg_catalog.pg_extension_config_dump('_timescaledb_catalog.dimension', '');

-- what by_range / by_hash return (a C type in the real extension)
CREATE TYPE _timescaledb_internal.dimension_info AS (
  dimtype text, column_name name, partition_interval interval, number_partitions integer, partition_func regproc
);

CREATE FUNCTION _timescaledb_functions.calculate_chunk_interval(dimension_id integer, dimension_coord bigint,
  chunk_target_size bigint) RETURNS bigint LANGUAGE sql AS $fn$ SELECT 604800000000::bigint $fn$;

CREATE FUNCTION _timescaledb_functions.tsl_only(fn text) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'function "%" is not supported under the current "apache" license', fn
    USING ERRCODE = '0A000', HINT = 'Upgrade your license to ''timescale'' to use this free community feature.';
END;
$fn$;

CREATE FUNCTION _timescaledb_functions.hypertable_id(relation regclass) RETURNS integer
LANGUAGE sql STABLE AS $fn$
  SELECT h.id FROM _timescaledb_catalog.hypertable h
    JOIN pg_catalog.pg_class c ON c.relname = h.table_name
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = h.schema_name
   WHERE c.oid = relation
$fn$;

CREATE FUNCTION _timescaledb_functions.make_hypertable(
  relation regclass, dims _timescaledb_internal.dimension_info[], create_default_indexes boolean, if_not_exists boolean,
  migrate_data boolean, associated_schema_name name, associated_table_prefix name, OUT hypertable_id integer,
  OUT schema_name name, OUT table_name name, OUT created boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  rel record;
  dim _timescaledb_internal.dimension_info;
  coltype regtype;
  first boolean := true;
  has_rows boolean;
BEGIN
  SELECT c.relname, n.nspname, c.relkind, c.relowner INTO rel
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = relation;
  IF rel.relkind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION 'invalid relation type' USING ERRCODE = '42809';
  END IF;
  IF NOT pg_catalog.pg_has_role(current_user, rel.relowner, 'USAGE') THEN
    RAISE EXCEPTION 'must be owner of hypertable "%"', rel.relname USING ERRCODE = '42501';
  END IF;
  schema_name := rel.nspname;
  table_name := rel.relname;
  hypertable_id := _timescaledb_functions.hypertable_id(relation);
  IF hypertable_id IS NOT NULL THEN
    IF if_not_exists THEN
      RAISE NOTICE 'table "%" is already a hypertable, skipping', rel.relname;
      created := false;
      RETURN;
    END IF;
    RAISE EXCEPTION 'table "%" is already a hypertable', rel.relname USING ERRCODE = 'TS110';
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', relation) INTO has_rows;
  IF has_rows AND NOT migrate_data THEN
    RAISE EXCEPTION 'table "%" is not empty', rel.relname USING ERRCODE = 'TS102',
      HINT = 'You can migrate data by specifying ''migrate_data => true'' when calling this function.';
  END IF;
  INSERT INTO _timescaledb_catalog.hypertable (schema_name, table_name, associated_schema_name,
                                               associated_table_prefix, num_dimensions)
  VALUES (rel.nspname, rel.relname, coalesce(associated_schema_name, '_timescaledb_internal'),
          coalesce(associated_table_prefix, '_hyper_' || currval('_timescaledb_catalog.hypertable_id_seq')),
          cardinality(dims))
  RETURNING id INTO hypertable_id;
  FOREACH dim IN ARRAY dims LOOP
    SELECT a.atttypid::regtype INTO coltype FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = relation AND a.attname = dim.column_name AND a.attnum > 0 AND NOT a.attisdropped;
    IF coltype IS NULL THEN
      RAISE EXCEPTION 'column "%" does not exist', dim.column_name USING ERRCODE = '42703';
    END IF;
    IF dim.dimtype = 'range' AND dim.partition_func IS NULL AND coltype NOT IN (
        'timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype, 'smallint'::regtype, 'integer'::regtype,
        'bigint'::regtype) THEN
      RAISE EXCEPTION 'invalid type for dimension "%"', dim.column_name USING ERRCODE = '42804',
        HINT = 'Use an integer, timestamp, or date type.';
    END IF;
    IF first THEN  -- the time dimension: NOT NULL and the default index, as the real one does
      EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', relation, dim.column_name);
      IF create_default_indexes THEN
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s (%I DESC)', rel.relname || '_' || dim.column_name || '_idx',
                       relation, dim.column_name);
      END IF;
    END IF;
    INSERT INTO _timescaledb_catalog.dimension (hypertable_id, column_name, column_type, aligned, num_slices,
                                                partitioning_func, interval_length)
    VALUES (make_hypertable.hypertable_id, dim.column_name, coltype, dim.dimtype = 'range', dim.number_partitions,
            dim.partition_func::text,
            CASE WHEN dim.dimtype = 'range'
                 THEN (extract(epoch FROM coalesce(dim.partition_interval, interval '7 days')) * 1000000)::bigint END);
    first := false;
  END LOOP;
  created := true;
END;
$fn$;

CREATE FUNCTION by_range(column_name name, partition_interval interval DEFAULT NULL, partition_func regproc DEFAULT NULL)
RETURNS _timescaledb_internal.dimension_info LANGUAGE sql IMMUTABLE AS
$fn$ SELECT ROW('range', column_name, partition_interval, NULL, partition_func)::_timescaledb_internal.dimension_info $fn$;

CREATE FUNCTION by_hash(column_name name, number_partitions integer, partition_func regproc DEFAULT NULL)
RETURNS _timescaledb_internal.dimension_info LANGUAGE sql IMMUTABLE AS
$fn$ SELECT ROW('hash', column_name, NULL, number_partitions, partition_func)::_timescaledb_internal.dimension_info $fn$;

-- the classic form
CREATE FUNCTION create_hypertable(
  relation regclass, time_column_name name, partitioning_column name DEFAULT NULL, number_partitions integer DEFAULT NULL,
  associated_schema_name name DEFAULT NULL, associated_table_prefix name DEFAULT NULL,
  chunk_time_interval interval DEFAULT NULL, create_default_indexes boolean DEFAULT true,
  if_not_exists boolean DEFAULT false, partitioning_func regproc DEFAULT NULL, migrate_data boolean DEFAULT false,
  chunk_target_size text DEFAULT NULL,
  chunk_sizing_func regproc DEFAULT '_timescaledb_functions.calculate_chunk_interval'::regproc,
  time_partitioning_func regproc DEFAULT NULL)
RETURNS TABLE (hypertable_id integer, schema_name name, table_name name, created boolean)
LANGUAGE sql AS $fn$
  SELECT * FROM _timescaledb_functions.make_hypertable(relation,
    ARRAY[ROW('range', time_column_name, chunk_time_interval, NULL, time_partitioning_func)::_timescaledb_internal.dimension_info]
    || CASE WHEN partitioning_column IS NULL THEN ARRAY[]::_timescaledb_internal.dimension_info[]
            ELSE ARRAY[ROW('hash', partitioning_column, NULL, number_partitions, partitioning_func)::_timescaledb_internal.dimension_info] END,
    create_default_indexes, if_not_exists, migrate_data, associated_schema_name, associated_table_prefix)
$fn$;

-- the 2.13+ form: create_hypertable('t', by_range('time'))
CREATE FUNCTION create_hypertable(
  relation regclass, dimension _timescaledb_internal.dimension_info, create_default_indexes boolean DEFAULT true,
  if_not_exists boolean DEFAULT false, migrate_data boolean DEFAULT false)
RETURNS TABLE (hypertable_id integer, created boolean)
LANGUAGE sql AS $fn$
  SELECT h.hypertable_id, h.created FROM _timescaledb_functions.make_hypertable(relation, ARRAY[dimension],
    create_default_indexes, if_not_exists, migrate_data, NULL, NULL) h
$fn$;

CREATE FUNCTION add_dimension(hypertable regclass, dimension _timescaledb_internal.dimension_info,
  if_not_exists boolean DEFAULT false) RETURNS TABLE (dimension_id integer, created boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  hid integer := _timescaledb_functions.hypertable_id(hypertable);
BEGIN
  IF hid IS NULL THEN
    RAISE EXCEPTION 'table "%" is not a hypertable', hypertable USING ERRCODE = 'TS001';
  END IF;
  IF EXISTS (SELECT 1 FROM _timescaledb_catalog.dimension d WHERE d.hypertable_id = hid
              AND d.column_name = dimension.column_name) THEN
    IF if_not_exists THEN
      RAISE NOTICE 'column "%" is already a dimension, skipping', dimension.column_name;
      RETURN QUERY SELECT d.id, false FROM _timescaledb_catalog.dimension d
                    WHERE d.hypertable_id = hid AND d.column_name = dimension.column_name;
      RETURN;
    END IF;
    RAISE EXCEPTION 'column "%" is already a dimension', dimension.column_name USING ERRCODE = 'TS101';
  END IF;
  RETURN QUERY INSERT INTO _timescaledb_catalog.dimension (hypertable_id, column_name, column_type, aligned, num_slices)
    SELECT hid, dimension.column_name, a.atttypid::regtype, dimension.dimtype = 'range', dimension.number_partitions
      FROM pg_catalog.pg_attribute a WHERE a.attrelid = hypertable AND a.attname = dimension.column_name
    RETURNING id, true;
  UPDATE _timescaledb_catalog.hypertable SET num_dimensions = num_dimensions + 1 WHERE id = hid;
END;
$fn$;

CREATE FUNCTION add_dimension(hypertable regclass, column_name name, number_partitions integer DEFAULT NULL,
  chunk_time_interval interval DEFAULT NULL, partitioning_func regproc DEFAULT NULL, if_not_exists boolean DEFAULT false)
RETURNS TABLE (dimension_id integer, schema_name name, table_name name, column_name name, created boolean)
LANGUAGE sql AS $fn$
  SELECT d.dimension_id, n.nspname, c.relname, add_dimension.column_name, d.created
    FROM @extschema@.add_dimension(hypertable, CASE WHEN number_partitions IS NOT NULL
                                        THEN @extschema@.by_hash(column_name, number_partitions, partitioning_func)
                                        ELSE @extschema@.by_range(column_name, chunk_time_interval, partitioning_func) END,
                       if_not_exists) d,
         pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = hypertable
$fn$;

CREATE FUNCTION set_chunk_time_interval(hypertable regclass, chunk_time_interval interval, dimension_name name DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF _timescaledb_functions.hypertable_id(hypertable) IS NULL THEN
    RAISE EXCEPTION 'table "%" is not a hypertable', hypertable USING ERRCODE = 'TS001';
  END IF;
  UPDATE _timescaledb_catalog.dimension SET interval_length = (extract(epoch FROM chunk_time_interval) * 1000000)::bigint
   WHERE hypertable_id = _timescaledb_functions.hypertable_id(hypertable) AND aligned
     AND (dimension_name IS NULL OR column_name = dimension_name);
END;
$fn$;

CREATE FUNCTION set_number_partitions(hypertable regclass, number_partitions integer, dimension_name name DEFAULT NULL)
RETURNS void LANGUAGE sql AS $fn$
  UPDATE _timescaledb_catalog.dimension SET num_slices = number_partitions
   WHERE hypertable_id = _timescaledb_functions.hypertable_id(hypertable) AND NOT aligned
     AND (dimension_name IS NULL OR column_name = dimension_name)
$fn$;

CREATE FUNCTION show_chunks(relation regclass, older_than interval DEFAULT NULL, newer_than interval DEFAULT NULL)
RETURNS SETOF regclass LANGUAGE sql STABLE AS $fn$ SELECT NULL::regclass WHERE false $fn$;
CREATE FUNCTION drop_chunks(relation regclass, older_than interval DEFAULT NULL, newer_than interval DEFAULT NULL,
  verbose boolean DEFAULT false) RETURNS SETOF text LANGUAGE sql AS $fn$ SELECT NULL::text WHERE false $fn$;

CREATE FUNCTION hypertable_size(hypertable regclass) RETURNS bigint LANGUAGE sql STABLE AS
$fn$ SELECT pg_catalog.pg_total_relation_size(hypertable) $fn$;
CREATE FUNCTION hypertable_detailed_size(hypertable regclass)
RETURNS TABLE (table_bytes bigint, index_bytes bigint, toast_bytes bigint, total_bytes bigint, node_name name)
LANGUAGE sql STABLE AS $fn$
  SELECT pg_catalog.pg_table_size(hypertable), pg_catalog.pg_indexes_size(hypertable), 0::bigint,
         pg_catalog.pg_total_relation_size(hypertable), NULL::name
$fn$;
CREATE FUNCTION approximate_row_count(relation regclass) RETURNS bigint LANGUAGE sql STABLE AS
$fn$ SELECT greatest(reltuples, 0)::bigint FROM pg_catalog.pg_class WHERE oid = relation $fn$;

-- time_bucket: buckets aligned as TimescaleDB aligns them (origin Monday 2000-01-03 for week-like widths)
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT CASE WHEN extract(month FROM bucket_width) <> 0 OR extract(year FROM bucket_width) <> 0
                 THEN pg_catalog.date_trunc('month', ts)
                 ELSE pg_catalog.date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00') END $fn$;
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT CASE WHEN extract(month FROM bucket_width) <> 0 OR extract(year FROM bucket_width) <> 0
                 THEN pg_catalog.date_trunc('month', ts)
                 ELSE pg_catalog.date_bin(bucket_width, ts, timestamp '2000-01-03 00:00:00') END $fn$;
CREATE FUNCTION time_bucket(bucket_width interval, ts date) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT pg_catalog.date_bin(bucket_width, ts::timestamp, timestamp '2000-01-03 00:00:00')::date $fn$;
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz, origin timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT AS $fn$ SELECT pg_catalog.date_bin(bucket_width, ts, origin) $fn$;
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz, timezone text, origin timestamptz DEFAULT NULL,
  "offset" interval DEFAULT NULL) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
$fn$ SELECT (pg_catalog.date_bin(bucket_width, (ts AT TIME ZONE timezone) - coalesce("offset", interval '0'),
                                 coalesce(origin AT TIME ZONE timezone, timestamp '2000-01-03 00:00:00'))
             + coalesce("offset", interval '0')) AT TIME ZONE timezone $fn$;
CREATE FUNCTION time_bucket(bucket_width integer, ts integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT ts - ((ts % bucket_width) + bucket_width) % bucket_width $fn$;
CREATE FUNCTION time_bucket(bucket_width bigint, ts bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT ts - ((ts % bucket_width) + bucket_width) % bucket_width $fn$;
CREATE FUNCTION time_bucket(bucket_width smallint, ts smallint) RETURNS smallint LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT (ts - ((ts % bucket_width) + bucket_width) % bucket_width)::smallint $fn$;

-- the Timescale License features: refused on Supabase (Apache 2 Edition)
CREATE FUNCTION add_retention_policy(relation regclass, drop_after interval, if_not_exists boolean DEFAULT false,
  schedule_interval interval DEFAULT NULL, initial_start timestamptz DEFAULT NULL, timezone text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('add_retention_policy'); RETURN NULL; END $fn$;
CREATE FUNCTION remove_retention_policy(relation regclass, if_exists boolean DEFAULT false)
RETURNS void LANGUAGE sql AS $fn$ SELECT _timescaledb_functions.tsl_only('remove_retention_policy') $fn$;
CREATE FUNCTION add_compression_policy(hypertable regclass, compress_after interval, if_not_exists boolean DEFAULT false,
  schedule_interval interval DEFAULT NULL, initial_start timestamptz DEFAULT NULL, timezone text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('add_compression_policy'); RETURN NULL; END $fn$;
CREATE FUNCTION remove_compression_policy(hypertable regclass, if_exists boolean DEFAULT false)
RETURNS boolean LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('remove_compression_policy'); RETURN NULL; END $fn$;
CREATE FUNCTION compress_chunk(uncompressed_chunk regclass, if_not_compressed boolean DEFAULT true)
RETURNS regclass LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('compress_chunk'); RETURN NULL; END $fn$;
CREATE FUNCTION decompress_chunk(uncompressed_chunk regclass, if_compressed boolean DEFAULT true)
RETURNS regclass LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('decompress_chunk'); RETURN NULL; END $fn$;
CREATE FUNCTION add_continuous_aggregate_policy(continuous_aggregate regclass, start_offset interval,
  end_offset interval, schedule_interval interval, if_not_exists boolean DEFAULT false,
  initial_start timestamptz DEFAULT NULL, timezone text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('add_continuous_aggregate_policy'); RETURN NULL; END $fn$;
CREATE FUNCTION add_reorder_policy(hypertable regclass, index_name name, if_not_exists boolean DEFAULT false,
  initial_start timestamptz DEFAULT NULL, timezone text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('add_reorder_policy'); RETURN NULL; END $fn$;
CREATE FUNCTION add_job(proc regproc, schedule_interval interval, config jsonb DEFAULT NULL,
  initial_start timestamptz DEFAULT NULL, scheduled boolean DEFAULT true, check_config regproc DEFAULT NULL,
  fixed_schedule boolean DEFAULT true, timezone text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $fn$ BEGIN PERFORM _timescaledb_functions.tsl_only('add_job'); RETURN NULL; END $fn$;

CREATE VIEW timescaledb_information.hypertables AS
  SELECT h.schema_name AS hypertable_schema, h.table_name AS hypertable_name, c.relowner::regrole::name AS owner,
         h.num_dimensions, 0::bigint AS num_chunks, false AS compression_enabled, ARRAY[]::name[] AS tablespaces
    FROM _timescaledb_catalog.hypertable h
    JOIN pg_catalog.pg_namespace n ON n.nspname = h.schema_name
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = h.table_name;
CREATE VIEW timescaledb_information.dimensions AS
  SELECT h.schema_name AS hypertable_schema, h.table_name AS hypertable_name,
         row_number() OVER (PARTITION BY h.id ORDER BY d.id) AS dimension_number, d.column_name,
         d.column_type, CASE WHEN d.aligned THEN 'Time' ELSE 'Space' END AS dimension_type,
         CASE WHEN d.aligned THEN make_interval(secs => d.interval_length / 1000000.0) END AS time_interval,
         NULL::bigint AS integer_interval, NULL::name AS integer_now_func, d.num_slices AS num_partitions
    FROM _timescaledb_catalog.hypertable h JOIN _timescaledb_catalog.dimension d ON d.hypertable_id = h.id;
GRANT SELECT ON ALL TABLES IN SCHEMA timescaledb_information TO PUBLIC;

-- DROP TABLE of a hypertable removes it from the catalog, as the real extension's sql_drop
-- handler does (security definer: the catalog belongs to the extension's owner, not the dropper)
CREATE FUNCTION _timescaledb_functions.process_ddl_event() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
BEGIN
  DELETE FROM _timescaledb_catalog.hypertable h
   USING pg_catalog.pg_event_trigger_dropped_objects() d
   WHERE d.object_type = 'table' AND d.schema_name = h.schema_name AND d.object_name = h.table_name;
END
$fn$;
REVOKE ALL ON FUNCTION _timescaledb_functions.process_ddl_event() FROM PUBLIC;
CREATE EVENT TRIGGER timescaledb_ddl_sql_drop ON sql_drop
  EXECUTE FUNCTION _timescaledb_functions.process_ddl_event();
