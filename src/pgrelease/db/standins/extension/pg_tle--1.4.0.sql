-- pgrelease stand-in for shadow replays, NOT the real pg_tle extension.
--
-- pg_tle (github.com/aws/pg_tle) keeps extensions written in SQL or a trusted language in the
-- database itself; database.dev's `dbdev.install(...)` and Supabase's docs use it.
--
--   real:   schema pgtle, role pgtle_admin, pgtle.install_extension / install_extension_version_sql /
--           install_update_path / set_default_version / uninstall_extension (all forms) /
--           uninstall_extension_if_exists / uninstall_update_path(_if_exists),
--           available_extensions() / available_extension_versions() / extension_update_paths(),
--           register_feature / unregister_feature(_if_exists) and the pgtle.feature_info table. What
--           is installed is kept in pgtle.pgrelease_extensions and reported by those functions; the
--           same errors for an extension or version that exists or does not.
--   ABSENT: `CREATE EXTENSION <name>` of an extension installed through pg_tle (the real one hooks
--           into the server's control-file lookup, which SQL cannot); create_base_type,
--           create_shell_type, create_operator_func (C hooks); the passcheck and clientauth features.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_tle" to load this file. \quit

DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'pgtle_admin') THEN
    CREATE ROLE pgtle_admin NOLOGIN;
  END IF;
END
$roles$;
GRANT USAGE, CREATE ON SCHEMA pgtle TO pgtle_admin;

CREATE TYPE pgtle.pg_tle_features AS ENUM ('passcheck', 'clientauth');
CREATE TABLE pgtle.feature_info (
  feature pgtle.pg_tle_features,
  schema_name text,
  proname text,
  obj_identity text,
  PRIMARY KEY (feature, proname)
);
GRANT SELECT ON pgtle.feature_info TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('pgtle.feature_info', '');

CREATE TABLE pgtle.pgrelease_extensions (
  name text NOT NULL,
  version text NOT NULL,
  description text,
  ext text NOT NULL,
  requires text[],
  schema text,
  PRIMARY KEY (name, version)
);
CREATE TABLE pgtle.pgrelease_default_versions (name text PRIMARY KEY, version text NOT NULL);
CREATE TABLE pgtle.pgrelease_update_paths (name text, fromvers text, tovers text, ext text,
                                           PRIMARY KEY (name, fromvers, tovers));

CREATE FUNCTION pgtle.install_extension(name text, version text, description text, ext text,
  requires text[] DEFAULT NULL, schema text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions a WHERE a.name = install_extension.name)
     OR EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = install_extension.name) THEN
    RAISE EXCEPTION 'extension "%" already installed', name USING ERRCODE = '42710';
  END IF;
  INSERT INTO pgtle.pgrelease_extensions VALUES (name, version, description, ext, requires, schema);
  INSERT INTO pgtle.pgrelease_default_versions VALUES (name, version);
  RETURN true;
END;
$fn$;

CREATE FUNCTION pgtle.install_extension_version_sql(name text, version text, ext text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = install_extension_version_sql.name) THEN
    RAISE EXCEPTION 'extension "%" is not installed', name USING ERRCODE = '42704';
  END IF;
  IF EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = install_extension_version_sql.name
              AND e.version = install_extension_version_sql.version) THEN
    RAISE EXCEPTION 'version "%" of extension "%" already installed', version, name USING ERRCODE = '42710';
  END IF;
  INSERT INTO pgtle.pgrelease_extensions (name, version, description, ext, requires, schema)
  SELECT name, version, e.description, ext, e.requires, e.schema FROM pgtle.pgrelease_extensions e
   WHERE e.name = install_extension_version_sql.name LIMIT 1;
  RETURN true;
END;
$fn$;

CREATE FUNCTION pgtle.install_update_path(name text, fromvers text, tovers text, ext text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = install_update_path.name) THEN
    RAISE EXCEPTION 'extension "%" is not installed', name USING ERRCODE = '42704';
  END IF;
  INSERT INTO pgtle.pgrelease_update_paths VALUES (name, fromvers, tovers, ext);
  RETURN true;
END;
$fn$;

CREATE FUNCTION pgtle.set_default_version(name text, version text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = set_default_version.name
                  AND e.version = set_default_version.version) THEN
    RAISE EXCEPTION 'extension "%" version "%" is not installed', name, version USING ERRCODE = '42704';
  END IF;
  UPDATE pgtle.pgrelease_default_versions d SET version = set_default_version.version
   WHERE d.name = set_default_version.name;
  RETURN true;
END;
$fn$;

CREATE FUNCTION pgtle.uninstall_extension(extname text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = extname) THEN
    RAISE EXCEPTION 'Extension % does not exist', extname USING ERRCODE = '42704';
  END IF;
  DELETE FROM pgtle.pgrelease_extensions e WHERE e.name = extname;
  DELETE FROM pgtle.pgrelease_default_versions d WHERE d.name = extname;
  DELETE FROM pgtle.pgrelease_update_paths u WHERE u.name = extname;
  RETURN true;
END;
$fn$;
CREATE FUNCTION pgtle.uninstall_extension(extname text, version text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  DELETE FROM pgtle.pgrelease_extensions e WHERE e.name = extname AND e.version = uninstall_extension.version;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Extension % version % does not exist', extname, version USING ERRCODE = '42704';
  END IF;
  RETURN true;
END;
$fn$;
CREATE FUNCTION pgtle.uninstall_extension_if_exists(extname text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
  SELECT CASE WHEN EXISTS (SELECT 1 FROM pgtle.pgrelease_extensions e WHERE e.name = extname)
              THEN pgtle.uninstall_extension(extname) ELSE false END
$fn$;
CREATE FUNCTION pgtle.uninstall_update_path(extname text, fromvers text, tovers text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  DELETE FROM pgtle.pgrelease_update_paths u WHERE u.name = extname AND u.fromvers = uninstall_update_path.fromvers
     AND u.tovers = uninstall_update_path.tovers;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Extension % update path % to % does not exist', extname, fromvers, tovers USING ERRCODE = '42704';
  END IF;
  RETURN true;
END;
$fn$;
CREATE FUNCTION pgtle.uninstall_update_path_if_exists(extname text, fromvers text, tovers text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
  WITH d AS (DELETE FROM pgtle.pgrelease_update_paths u WHERE u.name = extname AND u.fromvers = $2 AND u.tovers = $3
             RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM d)
$fn$;

CREATE FUNCTION pgtle.available_extensions(OUT name name, OUT default_version text, OUT comment text)
RETURNS SETOF record LANGUAGE sql STABLE SET search_path = pgtle, pg_catalog AS $fn$
  SELECT e.name::name, d.version, max(e.description) FROM pgtle.pgrelease_extensions e
    JOIN pgtle.pgrelease_default_versions d ON d.name = e.name GROUP BY e.name, d.version ORDER BY 1
$fn$;
CREATE FUNCTION pgtle.available_extension_versions(OUT name name, OUT version text, OUT superuser boolean,
  OUT trusted boolean, OUT relocatable boolean, OUT schema name, OUT requires name[], OUT comment text)
RETURNS SETOF record LANGUAGE sql STABLE SET search_path = pgtle, pg_catalog AS $fn$
  SELECT e.name::name, e.version, false, false, false, e.schema::name, e.requires::name[], e.description
    FROM pgtle.pgrelease_extensions e ORDER BY 1, 2
$fn$;
CREATE FUNCTION pgtle.extension_update_paths(name name, OUT source text, OUT target text, OUT path text)
RETURNS SETOF record LANGUAGE sql STABLE SET search_path = pgtle, pg_catalog AS $fn$
  SELECT u.fromvers, u.tovers, u.fromvers || '--' || u.tovers FROM pgtle.pgrelease_update_paths u
   WHERE u.name = extension_update_paths.name
$fn$;

CREATE FUNCTION pgtle.register_feature(proc regproc, feature pgtle.pg_tle_features) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
  INSERT INTO pgtle.feature_info
  SELECT feature, n.nspname, p.proname, pg_catalog.pg_describe_object('pg_proc'::regclass, p.oid, 0)
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = proc
$fn$;
CREATE FUNCTION pgtle.register_feature_if_not_exists(proc regproc, feature pgtle.pg_tle_features) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
  WITH i AS (INSERT INTO pgtle.feature_info
             SELECT feature, n.nspname, p.proname, pg_catalog.pg_describe_object('pg_proc'::regclass, p.oid, 0)
               FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = proc
             ON CONFLICT DO NOTHING RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM i)
$fn$;
CREATE FUNCTION pgtle.unregister_feature(proc regproc, feature pgtle.pg_tle_features) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
BEGIN
  DELETE FROM pgtle.feature_info f WHERE f.feature = unregister_feature.feature
     AND f.proname = (SELECT proname FROM pg_catalog.pg_proc WHERE oid = proc);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Could not unregister "%": does not exist.', proc USING ERRCODE = '42704';
  END IF;
END;
$fn$;
CREATE FUNCTION pgtle.unregister_feature_if_exists(proc regproc, feature pgtle.pg_tle_features) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog AS $fn$
  WITH d AS (DELETE FROM pgtle.feature_info f WHERE f.feature = $2
              AND f.proname = (SELECT proname FROM pg_catalog.pg_proc WHERE oid = proc) RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM d)
$fn$;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA pgtle FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgtle TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.available_extensions(), pgtle.available_extension_versions(),
  pgtle.extension_update_paths(name) TO PUBLIC;
