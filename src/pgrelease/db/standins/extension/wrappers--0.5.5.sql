-- pgrelease stand-in for shadow replays, NOT the real wrappers extension.
--
-- Supabase Wrappers is a Rust extension holding many foreign-data-wrapper handlers.
-- Migrations that use it typically run:
--   create extension wrappers with schema extensions;
--   create foreign data wrapper stripe_wrapper handler stripe_fdw_handler validator stripe_fdw_validator;
--   create server stripe_server foreign data wrapper stripe_wrapper options (...);
--   create foreign table stripe.customers (...) server stripe_server options (object 'customers');
-- This stand-in provides the <name>_fdw_handler / _validator / _meta functions for the
-- wrappers listed below and the wrappers_fdw_stats table, so that such DDL replays.
--
--   real:   the function names and signatures, the stats table.
--   FAKED:  the validators accept any option. A handler function must be written in C, and
--           stand-ins are SQL-only, so every handler is bound to the handler symbol of the
--           file_fdw module that ships with PostgreSQL (no new C code): creating wrappers,
--           servers and foreign tables works, but querying a foreign table fails with
--           file_fdw's "either filename or program is required" error, and IMPORT FOREIGN
--           SCHEMA is refused. Nothing ever reaches the remote service.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION wrappers" to load this file. \quit

CREATE TABLE @extschema@.wrappers_fdw_stats (
  fdw_name text NOT NULL PRIMARY KEY,
  create_times bigint NULL,
  rows_in bigint NULL,
  rows_out bigint NULL,
  bytes_in bigint NULL,
  bytes_out bigint NULL,
  metadata jsonb NULL,
  created_at timestamptz NOT NULL DEFAULT timezone('utc'::text, now()),
  updated_at timestamptz NOT NULL DEFAULT timezone('utc'::text, now())
);
COMMENT ON TABLE @extschema@.wrappers_fdw_stats IS 'Wrappers Foreign Data Wrapper statistics';

CREATE FUNCTION @extschema@.airtable_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.airtable_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.airtable_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'AirtableFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.auth0_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.auth0_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.auth0_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'Auth0Fdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.big_query_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.big_query_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.big_query_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'BigQueryFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.cal_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.cal_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.cal_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'CalFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.calendly_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.calendly_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.calendly_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'CalendlyFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.click_house_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.click_house_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.click_house_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'ClickHouseFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.clerk_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.clerk_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.clerk_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'ClerkFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.cognito_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.cognito_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.cognito_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'CognitoFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.duckdb_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.duckdb_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.duckdb_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'DuckdbFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.firebase_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.firebase_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.firebase_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'FirebaseFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.hello_world_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.hello_world_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.hello_world_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'HelloWorldFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.iceberg_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.iceberg_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.iceberg_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'IcebergFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.logflare_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.logflare_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.logflare_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'LogflareFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.mssql_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.mssql_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.mssql_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'MssqlFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.notion_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.notion_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.notion_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'NotionFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.paddle_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.paddle_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.paddle_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'PaddleFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.redis_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.redis_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.redis_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'RedisFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.s3_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.s3_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.s3_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'S3Fdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.snowflake_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.snowflake_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.snowflake_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'SnowflakeFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.stripe_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.stripe_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.stripe_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'StripeFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;

CREATE FUNCTION @extschema@.wasm_fdw_handler() RETURNS fdw_handler
LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';

CREATE FUNCTION @extschema@.wasm_fdw_validator(options text[], catalog oid) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION @extschema@.wasm_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT 'WasmFdw (pgrelease stand-in)'::text, '0.0.0'::text, 'pgrelease'::text, 'https://fdw.dev'::text;
END;
