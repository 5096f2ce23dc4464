-- pgrelease stand-in for shadow replays, NOT the real http (pgsql-http) extension.
--
-- Reproduces pgsql-http 1.6's types (http_method, http_header, http_request, http_response)
-- and functions (http, http_get/post/put/patch/delete/head, http_header, urlencode,
-- http_set_curlopt, http_reset_curlopt, http_list_curlopt, bytea_to_text, text_to_bytea).
--
--   real:   types, signatures, urlencode(), http_header(), the curl-option bookkeeping (kept
--           per session), bytea_to_text/text_to_bytea.
--   FAKED:  no request is ever sent: every call returns an http_response with status 599,
--           content_type 'text/plain' and content saying this is a stand-in.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION http" to load this file. \quit

CREATE DOMAIN @extschema@.http_method AS text;

CREATE TYPE @extschema@.http_header AS (
  field varchar,
  value varchar
);

CREATE TYPE @extschema@.http_response AS (
  status integer,
  content_type varchar,
  headers @extschema@.http_header[],
  content varchar
);

CREATE TYPE @extschema@.http_request AS (
  method @extschema@.http_method,
  uri varchar,
  headers @extschema@.http_header[],
  content_type varchar,
  content varchar
);

CREATE FUNCTION @extschema@.http_header(field varchar, value varchar) RETURNS @extschema@.http_header
LANGUAGE sql IMMUTABLE
RETURN ROW(field, value)::@extschema@.http_header;

CREATE FUNCTION @extschema@.http(request @extschema@.http_request) RETURNS @extschema@.http_response
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog AS $fn$
BEGIN
  IF request.uri IS NULL OR request.uri = '' THEN
    RAISE EXCEPTION 'http request uri is null or empty';
  END IF;
  IF request.method IS NULL OR upper(request.method) NOT IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD') THEN
    RAISE EXCEPTION 'invalid http method: %', request.method;
  END IF;
  RETURN ROW(599, 'text/plain', ARRAY[]::@extschema@.http_header[],
             'pgrelease stand-in: the http extension does not send requests in shadow replays ('
             || upper(request.method) || ' ' || request.uri || ')')::@extschema@.http_response;
END
$fn$;

CREATE FUNCTION @extschema@.http_get(uri varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('GET', uri, NULL, NULL, NULL)::@extschema@.http_request);

CREATE FUNCTION @extschema@.urlencode(string varchar) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog AS $fn$
DECLARE
  bytes bytea := convert_to(string, 'UTF8');
  out text := '';
  b integer;
  i integer;
BEGIN
  FOR i IN 0 .. length(bytes) - 1 LOOP
    b := get_byte(bytes, i);
    IF (b BETWEEN 48 AND 57) OR (b BETWEEN 65 AND 90) OR (b BETWEEN 97 AND 122) OR b IN (45, 46, 95, 126) THEN
      out := out || chr(b);
    ELSE
      out := out || '%' || upper(lpad(to_hex(b), 2, '0'));
    END IF;
  END LOOP;
  RETURN out;
END
$fn$;

CREATE FUNCTION @extschema@.urlencode(string bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
RETURN @extschema@.urlencode(convert_from(string, 'UTF8')::varchar);

CREATE FUNCTION @extschema@.urlencode(data jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
RETURN (SELECT coalesce(string_agg(@extschema@.urlencode(key::varchar) || '=' || @extschema@.urlencode(value::varchar), '&'), '')
          FROM jsonb_each_text(data));

CREATE FUNCTION @extschema@.http_get(uri varchar, data jsonb) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('GET', uri || '?' || @extschema@.urlencode(data), NULL, NULL, NULL)::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_post(uri varchar, content varchar, content_type varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('POST', uri, NULL, content_type, content)::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_post(uri varchar, data jsonb) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('POST', uri, NULL, 'application/x-www-form-urlencoded', @extschema@.urlencode(data))::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_put(uri varchar, content varchar, content_type varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('PUT', uri, NULL, content_type, content)::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_patch(uri varchar, content varchar, content_type varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('PATCH', uri, NULL, content_type, content)::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_delete(uri varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('DELETE', uri, NULL, NULL, NULL)::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_delete(uri varchar, content varchar, content_type varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('DELETE', uri, NULL, content_type, content)::@extschema@.http_request);

CREATE FUNCTION @extschema@.http_head(uri varchar) RETURNS @extschema@.http_response
LANGUAGE sql VOLATILE
RETURN @extschema@.http(ROW('HEAD', uri, NULL, NULL, NULL)::@extschema@.http_request);

-- curl options are remembered per session in a custom setting, as the real extension does
CREATE FUNCTION @extschema@.http_set_curlopt(curlopt varchar, value varchar) RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog AS $fn$
DECLARE
  opts jsonb := coalesce(nullif(current_setting('http.standin_curlopts', true), ''), '{}')::jsonb;
BEGIN
  IF upper(curlopt) NOT LIKE 'CURLOPT\_%' THEN
    RAISE EXCEPTION 'curl option ''%'' is not available for run-time configuration', curlopt;
  END IF;
  PERFORM set_config('http.standin_curlopts', (opts || jsonb_build_object(upper(curlopt), value))::text, false);
  RETURN true;
END
$fn$;

CREATE FUNCTION @extschema@.http_reset_curlopt() RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog AS $fn$
BEGIN
  PERFORM set_config('http.standin_curlopts', '{}', false);
  RETURN true;
END
$fn$;

CREATE FUNCTION @extschema@.http_list_curlopt() RETURNS TABLE (curlopt text, value text)
LANGUAGE sql VOLATILE
BEGIN ATOMIC
  SELECT o.key, o.value
    FROM jsonb_each_text(coalesce(nullif(current_setting('http.standin_curlopts', true), ''), '{}')::jsonb) AS o;
END;

CREATE FUNCTION @extschema@.bytea_to_text(data bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
RETURN convert_from(data, current_setting('server_encoding'));

CREATE FUNCTION @extschema@.text_to_bytea(data text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
RETURN convert_to(data, current_setting('server_encoding'));
