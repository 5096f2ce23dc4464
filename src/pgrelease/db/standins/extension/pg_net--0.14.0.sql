-- pgrelease stand-in for shadow replays, NOT the real pg_net extension.
--
-- Reproduces pg_net 0.14's schema "net" (its objects live there whatever schema the
-- extension is created in, as with the real one): the request queue and response tables,
-- the types, and net.http_get / net.http_post / net.http_delete with the real signatures,
-- defaults and argument checks (http_post insists on a JSON Content-Type).
--
--   real:   a call inserts a row into net.http_request_queue and returns its id, with the
--           query-string parameters URL-encoded into the url like pg_net does.
--   FAKED:  no background worker: nothing is ever sent, net._http_response stays empty, and
--           net._http_collect_response() reports status ERROR ("stand-in: not sent").

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_net" to load this file. \quit

CREATE SCHEMA net;

CREATE DOMAIN net.http_method AS text
  CHECK (VALUE ILIKE 'get' OR VALUE ILIKE 'post' OR VALUE ILIKE 'delete');

CREATE TYPE net.request_status AS ENUM ('PENDING', 'SUCCESS', 'ERROR');

CREATE UNLOGGED TABLE net.http_request_queue (
  id bigserial NOT NULL,
  method net.http_method NOT NULL,
  url text NOT NULL,
  headers jsonb NOT NULL,
  body bytea,
  timeout_milliseconds integer NOT NULL
);

CREATE UNLOGGED TABLE net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ON net._http_response (created);

CREATE TYPE net.http_response AS (
  status_code integer,
  headers jsonb,
  body text
);

CREATE TYPE net.http_response_result AS (
  status net.request_status,
  message text,
  response net.http_response
);

CREATE FUNCTION net._urlencode_string(string varchar) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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

CREATE FUNCTION net._encode_url_with_params_array(url text, params_array text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog
RETURN CASE
  WHEN cardinality(params_array) = 0 THEN url
  WHEN position('?' IN url) > 0 THEN url || '&' || array_to_string(params_array, '&')
  ELSE url || '?' || array_to_string(params_array, '&')
END;

CREATE FUNCTION net.http_get(
  url text,
  params jsonb DEFAULT '{}'::jsonb,
  headers jsonb DEFAULT '{}'::jsonb,
  timeout_milliseconds integer DEFAULT 5000
) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = net AS $fn$
DECLARE
  request_id bigint;
  params_array text[];
BEGIN
  SELECT coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
    INTO params_array
    FROM jsonb_each_text(params);

  INSERT INTO net.http_request_queue (method, url, headers, timeout_milliseconds)
  VALUES ('GET', net._encode_url_with_params_array(url, params_array), headers, timeout_milliseconds)
  RETURNING id INTO request_id;

  RETURN request_id;
END
$fn$;

CREATE FUNCTION net.http_post(
  url text,
  body jsonb DEFAULT '{}'::jsonb,
  params jsonb DEFAULT '{}'::jsonb,
  headers jsonb DEFAULT '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer DEFAULT 5000
) RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SECURITY DEFINER
SET search_path = net AS $fn$
DECLARE
  request_id bigint;
  params_array text[];
  content_type text;
BEGIN
  -- Extract the content type from the headers
  SELECT header_value INTO content_type
    FROM jsonb_each_text(coalesce(headers, '{}'::jsonb)) AS r(header_name, header_value)
   WHERE lower(header_name) = 'content-type'
   LIMIT 1;

  -- If the user provided headers without a content type, add it back
  IF content_type IS NULL THEN
    headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
  END IF;

  IF content_type <> 'application/json' THEN
    RAISE EXCEPTION 'Content-Type header must be "application/json"';
  END IF;

  SELECT coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
    INTO params_array
    FROM jsonb_each_text(coalesce(params, '{}'::jsonb));

  INSERT INTO net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  VALUES ('POST', net._encode_url_with_params_array(url, params_array), headers,
          convert_to(body::text, 'UTF8'), timeout_milliseconds)
  RETURNING id INTO request_id;

  RETURN request_id;
END
$fn$;

CREATE FUNCTION net.http_delete(
  url text,
  params jsonb DEFAULT '{}'::jsonb,
  headers jsonb DEFAULT '{}'::jsonb,
  timeout_milliseconds integer DEFAULT 5000
) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = net AS $fn$
DECLARE
  request_id bigint;
  params_array text[];
BEGIN
  SELECT coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
    INTO params_array
    FROM jsonb_each_text(params);

  INSERT INTO net.http_request_queue (method, url, headers, timeout_milliseconds)
  VALUES ('DELETE', net._encode_url_with_params_array(url, params_array), headers, timeout_milliseconds)
  RETURNING id INTO request_id;

  RETURN request_id;
END
$fn$;

CREATE FUNCTION net._http_collect_response(request_id bigint, async boolean DEFAULT true)
RETURNS net.http_response_result
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = net AS $fn$
DECLARE
  rec net._http_response;
BEGIN
  SELECT * INTO rec FROM net._http_response WHERE id = request_id;
  IF FOUND THEN
    RETURN ROW('SUCCESS', 'ok', ROW(rec.status_code, rec.headers, rec.content)::net.http_response)::net.http_response_result;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM net.http_request_queue q WHERE q.id = request_id) THEN
    RETURN ROW('ERROR', 'request matching request_id not found', NULL)::net.http_response_result;
  END IF;
  RETURN ROW('ERROR', 'pgrelease stand-in: pg_net requests are queued but never sent in shadow replays', NULL)::net.http_response_result;
END
$fn$;

CREATE FUNCTION net.http_collect_response(request_id bigint, async boolean DEFAULT true)
RETURNS net.http_response_result
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = net
RETURN net._http_collect_response(request_id, async);

CREATE FUNCTION net.worker_restart() RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = net
RETURN false;

CREATE FUNCTION net.check_worker_is_up() RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = net AS $fn$
BEGIN
  RAISE NOTICE 'pgrelease stand-in: pg_net has no background worker in shadow replays';
END
$fn$;

GRANT USAGE ON SCHEMA net TO PUBLIC;
