-- pgrelease stand-in for shadow replays, NOT the real uuid-ossp extension.
--
-- The embedded PostgreSQL server pgrelease uses for shadow replays has no uuid-ossp, yet
-- Supabase projects have it in schema "extensions" and migrations call
-- uuid_generate_v4() (often unqualified, relying on the search_path). Everything here is
-- plain SQL / PL/pgSQL:
--
--   real:   uuid_nil(), uuid_ns_dns/url/oid/x500(), uuid_generate_v4() (the built-in
--           gen_random_uuid()), uuid_generate_v3() (MD5, RFC 4122), uuid_generate_v5()
--           (SHA-1 implemented in PL/pgSQL, RFC 4122): same values as the real extension.
--   FAKED:  uuid_generate_v1() and uuid_generate_v1mc() carry a real version-1 timestamp
--           and clock sequence, but the node is a random multicast address for both (the
--           real v1 uses the host's MAC address).
--
-- Relocatable like the real extension: functions use only pg_catalog.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION ""uuid-ossp""" to load this file. \quit

CREATE FUNCTION uuid_nil() RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '00000000-0000-0000-0000-000000000000'::uuid;

CREATE FUNCTION uuid_ns_dns() RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid;

CREATE FUNCTION uuid_ns_url() RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '6ba7b811-9dad-11d1-80b4-00c04fd430c8'::uuid;

CREATE FUNCTION uuid_ns_oid() RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '6ba7b812-9dad-11d1-80b4-00c04fd430c8'::uuid;

CREATE FUNCTION uuid_ns_x500() RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '6ba7b814-9dad-11d1-80b4-00c04fd430c8'::uuid;

CREATE FUNCTION uuid_generate_v4() RETURNS uuid
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
RETURN pg_catalog.gen_random_uuid();

-- Version 1 (FAKED node, see the header); v1mc is the same with the multicast bit set.
CREATE FUNCTION uuid_generate_v1() RETURNS uuid
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE AS $fn$
DECLARE
  -- 100-ns intervals since 1582-10-15 (the Gregorian reform)
  ts bigint := (extract(epoch FROM pg_catalog.clock_timestamp()) * 10000000)::bigint + 122192928000000000;
  r bytea := pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
  clock_seq integer := ((pg_catalog.get_byte(r, 0) << 8) | pg_catalog.get_byte(r, 1)) & 16383 | 32768;
  node bytea := pg_catalog.set_byte(substring(r FROM 11 FOR 6), 0, pg_catalog.get_byte(r, 10) | 1);
BEGIN
  RETURN (pg_catalog.lpad(pg_catalog.to_hex(ts & 4294967295), 8, '0')
          || '-' || pg_catalog.lpad(pg_catalog.to_hex((ts >> 32) & 65535), 4, '0')
          || '-' || pg_catalog.lpad(pg_catalog.to_hex(((ts >> 48) & 4095) | 4096), 4, '0')
          || '-' || pg_catalog.lpad(pg_catalog.to_hex(clock_seq), 4, '0')
          || '-' || pg_catalog.encode(node, 'hex'))::uuid;
END
$fn$;

CREATE FUNCTION uuid_generate_v1mc() RETURNS uuid
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE AS $fn$
DECLARE
  ts bigint := (extract(epoch FROM pg_catalog.clock_timestamp()) * 10000000)::bigint + 122192928000000000;
  r bytea := pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
  clock_seq integer := ((pg_catalog.get_byte(r, 0) << 8) | pg_catalog.get_byte(r, 1)) & 16383 | 32768;
  node bytea := pg_catalog.set_byte(substring(r FROM 11 FOR 6), 0, pg_catalog.get_byte(r, 10) | 1);
BEGIN
  RETURN (pg_catalog.lpad(pg_catalog.to_hex(ts & 4294967295), 8, '0')
          || '-' || pg_catalog.lpad(pg_catalog.to_hex((ts >> 32) & 65535), 4, '0')
          || '-' || pg_catalog.lpad(pg_catalog.to_hex(((ts >> 48) & 4095) | 4096), 4, '0')
          || '-' || pg_catalog.lpad(pg_catalog.to_hex(clock_seq), 4, '0')
          || '-' || pg_catalog.encode(node, 'hex'))::uuid;
END
$fn$;

-- Version 3: MD5 of namespace || name.
CREATE FUNCTION uuid_generate_v3(namespace uuid, name text) RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  h bytea := pg_catalog.decode(pg_catalog.md5(pg_catalog.uuid_send(namespace) || pg_catalog.textsend(name)), 'hex');
BEGIN
  h := pg_catalog.set_byte(h, 6, (pg_catalog.get_byte(h, 6) & 15) | 48);
  h := pg_catalog.set_byte(h, 8, (pg_catalog.get_byte(h, 8) & 63) | 128);
  RETURN pg_catalog.encode(h, 'hex')::uuid;
END
$fn$;

-- Version 5: SHA-1 of namespace || name (SHA-1 per FIPS 180-4, in PL/pgSQL).
CREATE FUNCTION uuid_generate_v5(namespace uuid, name text) RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  data bytea := pg_catalog.uuid_send(namespace) || pg_catalog.textsend(name);
  m constant bigint := 4294967295;
  h0 bigint := 1732584193; h1 bigint := 4023233417; h2 bigint := 2562383102;
  h3 bigint := 271733878;  h4 bigint := 3285377520;
  a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; k bigint; t bigint;
  w bigint[];
  msg bytea;
  p integer;
  i integer;
  h bytea;
BEGIN
  msg := data || '\x80'::bytea
         || pg_catalog.decode(pg_catalog.repeat('00', ((55 - pg_catalog.length(data)) % 64 + 64) % 64), 'hex')
         || pg_catalog.int8send(pg_catalog.length(data)::bigint * 8);
  p := 0;
  WHILE p < pg_catalog.length(msg) LOOP
    w := pg_catalog.array_fill(0::bigint, ARRAY[80]);
    FOR i IN 0..15 LOOP
      w[i + 1] := (pg_catalog.get_byte(msg, p + i * 4)::bigint << 24)
                | (pg_catalog.get_byte(msg, p + i * 4 + 1)::bigint << 16)
                | (pg_catalog.get_byte(msg, p + i * 4 + 2)::bigint << 8)
                |  pg_catalog.get_byte(msg, p + i * 4 + 3)::bigint;
    END LOOP;
    FOR i IN 16..79 LOOP
      t := w[i - 2] # w[i - 7] # w[i - 13] # w[i - 15];
      w[i + 1] := ((t << 1) | (t >> 31)) & m;
    END LOOP;
    a := h0; b := h1; c := h2; d := h3; e := h4;
    FOR i IN 0..79 LOOP
      IF i < 20 THEN
        f := (b & c) | ((b # m) & d); k := 1518500249;
      ELSIF i < 40 THEN
        f := b # c # d; k := 1859775393;
      ELSIF i < 60 THEN
        f := (b & c) | (b & d) | (c & d); k := 2400959708;
      ELSE
        f := b # c # d; k := 3395469782;
      END IF;
      t := ((((a << 5) | (a >> 27)) & m) + f + e + k + w[i + 1]) & m;
      e := d; d := c; c := ((b << 30) | (b >> 2)) & m; b := a; a := t;
    END LOOP;
    h0 := (h0 + a) & m; h1 := (h1 + b) & m; h2 := (h2 + c) & m;
    h3 := (h3 + d) & m; h4 := (h4 + e) & m;
    p := p + 64;
  END LOOP;
  h := pg_catalog.decode(
    pg_catalog.lpad(pg_catalog.to_hex(h0), 8, '0') || pg_catalog.lpad(pg_catalog.to_hex(h1), 8, '0')
    || pg_catalog.lpad(pg_catalog.to_hex(h2), 8, '0') || pg_catalog.lpad(pg_catalog.to_hex(h3), 8, '0'), 'hex');
  h := pg_catalog.set_byte(h, 6, (pg_catalog.get_byte(h, 6) & 15) | 80);
  h := pg_catalog.set_byte(h, 8, (pg_catalog.get_byte(h, 8) & 63) | 128);
  RETURN pg_catalog.encode(h, 'hex')::uuid;
END
$fn$;
