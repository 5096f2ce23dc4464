-- pgrelease stand-in for shadow replays, NOT the real pgcrypto extension.
--
-- The embedded PostgreSQL server pgrelease uses for shadow replays has no pgcrypto, yet
-- Supabase projects have it in schema "extensions" from the start. This script recreates
-- the functions migrations call, in plain SQL / PL/pgSQL, so that the migrations replay:
--
--   real:   gen_random_uuid(), gen_random_bytes(int), digest(text|bytea, type) for md5,
--           sha1, sha224, sha256, sha384, sha512 (sha1 is implemented in PL/pgSQL, the
--           others use the built-in functions), hmac(text|bytea, key, type) (RFC 2104).
--   FAKED:  crypt()/gen_salt() produce strings in the familiar formats ($2a$06$..., $1$...,
--           $5$/$6$, DES, XDES) and keep the property crypt(pw, crypt(pw, salt)) =
--           crypt(pw, salt) that password checks rely on, but the hash is a salted SHA-512,
--           not bcrypt/md5-crypt: hashes made here do not verify on a real server.
--           pgp_sym_encrypt*/pgp_sym_decrypt* are a reversible SHA-256 keystream cipher with
--           an integrity tag (a wrong password raises "Wrong key or corrupt data"), not
--           OpenPGP. armor()/dearmor() wrap base64 without the CRC line.
--   ABSENT: encrypt/decrypt (raw), pgp_pub_*, pgp_key_id, pgp_armor_headers, fips_mode.
--
-- The extension is relocatable like the real one, so functions never call each other by a
-- schema-qualified name: PL/pgSQL bodies use only pg_catalog, and the few wrappers that
-- call a sibling are SQL-standard bodies (BEGIN ATOMIC), bound at creation time.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pgcrypto" to load this file. \quit

CREATE FUNCTION gen_random_uuid() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE
RETURN pg_catalog.gen_random_uuid();

CREATE FUNCTION gen_random_bytes(integer) RETURNS bytea
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE AS $fn$
DECLARE
  wanted integer := $1;
  result bytea := ''::bytea;
  u bytea;
BEGIN
  IF wanted < 1 OR wanted > 1024 THEN
    RAISE EXCEPTION 'Length not in range' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  WHILE pg_catalog.length(result) < wanted LOOP
    -- bytes 0-5 and 9-15 of a version-4 UUID are fully random
    u := pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
    result := result || substring(u FROM 1 FOR 6) || substring(u FROM 10 FOR 7);
  END LOOP;
  RETURN substring(result FROM 1 FOR wanted);
END
$fn$;

CREATE FUNCTION digest(bytea, text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  data bytea := $1;
  alg text := pg_catalog.lower($2);
  m constant bigint := 4294967295;
  h0 bigint := 1732584193; h1 bigint := 4023233417; h2 bigint := 2562383102;
  h3 bigint := 271733878;  h4 bigint := 3285377520;
  a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; k bigint; t bigint;
  w bigint[];
  msg bytea;
  p integer;
  i integer;
BEGIN
  IF alg = 'md5' THEN
    RETURN pg_catalog.decode(pg_catalog.md5(data), 'hex');
  ELSIF alg = 'sha224' THEN
    RETURN pg_catalog.sha224(data);
  ELSIF alg = 'sha256' THEN
    RETURN pg_catalog.sha256(data);
  ELSIF alg = 'sha384' THEN
    RETURN pg_catalog.sha384(data);
  ELSIF alg = 'sha512' THEN
    RETURN pg_catalog.sha512(data);
  ELSIF alg <> 'sha1' THEN
    RAISE EXCEPTION 'Cannot use "%": No such hash algorithm', $2 USING ERRCODE = 'external_routine_invocation_exception';
  END IF;
  -- SHA-1 (FIPS 180-4)
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
  RETURN pg_catalog.decode(
    pg_catalog.lpad(pg_catalog.to_hex(h0), 8, '0') || pg_catalog.lpad(pg_catalog.to_hex(h1), 8, '0')
    || pg_catalog.lpad(pg_catalog.to_hex(h2), 8, '0') || pg_catalog.lpad(pg_catalog.to_hex(h3), 8, '0')
    || pg_catalog.lpad(pg_catalog.to_hex(h4), 8, '0'), 'hex');
END
$fn$;

CREATE FUNCTION digest(text, text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT digest(pg_catalog.textsend($1), $2);
END;

CREATE FUNCTION hmac(bytea, bytea, text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  WITH bs AS (
         SELECT CASE WHEN pg_catalog.lower($3) IN ('sha384', 'sha512') THEN 128 ELSE 64 END AS n
       ),
       k0 AS (
         SELECT CASE WHEN pg_catalog.length($2) > bs.n THEN digest($2, $3) ELSE $2 END AS k, bs.n
         FROM bs
       ),
       kp AS (
         SELECT k0.k || pg_catalog.decode(pg_catalog.repeat('00', k0.n - pg_catalog.length(k0.k)), 'hex') AS k, k0.n
         FROM k0
       ),
       pads AS (
         SELECT pg_catalog.decode(pg_catalog.string_agg(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.get_byte(kp.k, i) # 54), 2, '0'), '' ORDER BY i), 'hex') AS ipad,
                pg_catalog.decode(pg_catalog.string_agg(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.get_byte(kp.k, i) # 92), 2, '0'), '' ORDER BY i), 'hex') AS opad
         FROM kp, pg_catalog.generate_series(0, kp.n - 1) AS i
       )
  SELECT digest(pads.opad || digest(pads.ipad || $1, $3), $3) FROM pads;
END;

CREATE FUNCTION hmac(text, text, text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT hmac(pg_catalog.textsend($1), pg_catalog.textsend($2), $3);
END;

-- gen_salt / crypt: FAKED (see the header). Formats follow pgcrypto's.
-- Not STRICT so that gen_salt(text) can pass NULL for "default rounds".
CREATE FUNCTION gen_salt(text, integer) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $fn$
DECLARE
  alg text := pg_catalog.lower($1);
  rounds integer := $2;
  alphabet constant text := './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  bf_alphabet constant text := './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  nchars integer;
  chars text := '';
  prefix text;
  abc text := alphabet;
  i integer;
BEGIN
  IF alg IS NULL THEN
    RETURN NULL;
  END IF;
  IF alg = 'bf' THEN
    rounds := COALESCE(rounds, 6);
    IF rounds < 4 OR rounds > 31 THEN
      RAISE EXCEPTION 'gen_salt: Incorrect number of rounds' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := '$2a$' || pg_catalog.lpad(rounds::text, 2, '0') || '$';
    nchars := 22; abc := bf_alphabet;
  ELSIF alg = 'md5' THEN
    IF rounds IS NOT NULL AND rounds <> 1000 THEN
      RAISE EXCEPTION 'gen_salt: Incorrect number of rounds' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := '$1$'; nchars := 8;
  ELSIF alg = 'des' THEN
    IF rounds IS NOT NULL AND rounds <> 25 THEN
      RAISE EXCEPTION 'gen_salt: Incorrect number of rounds' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := ''; nchars := 2;
  ELSIF alg = 'xdes' THEN
    rounds := COALESCE(rounds, 725);
    IF rounds < 1 OR rounds > 16777215 OR rounds % 2 = 0 THEN
      RAISE EXCEPTION 'gen_salt: Incorrect number of rounds' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := '_' || pg_catalog.substr(alphabet, 1 + (rounds & 63), 1)
                  || pg_catalog.substr(alphabet, 1 + ((rounds >> 6) & 63), 1)
                  || pg_catalog.substr(alphabet, 1 + ((rounds >> 12) & 63), 1)
                  || pg_catalog.substr(alphabet, 1 + ((rounds >> 18) & 63), 1);
    nchars := 4;
  ELSIF alg IN ('sha256crypt', 'sha512crypt') THEN
    IF rounds IS NOT NULL AND (rounds < 1000 OR rounds > 999999999) THEN
      RAISE EXCEPTION 'gen_salt: Incorrect number of rounds' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := CASE alg WHEN 'sha256crypt' THEN '$5$' ELSE '$6$' END
              || CASE WHEN rounds IS NULL THEN '' ELSE 'rounds=' || rounds || '$' END;
    nchars := 16;
  ELSE
    RAISE EXCEPTION 'gen_salt: Unknown salt algorithm' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR i IN 1..nchars LOOP
    chars := chars || pg_catalog.substr(abc, 1 + pg_catalog.get_byte(pg_catalog.uuid_send(pg_catalog.gen_random_uuid()), 0) % 64, 1);
  END LOOP;
  RETURN prefix || chars;
END
$fn$;

CREATE FUNCTION gen_salt(text) RETURNS text
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT gen_salt($1, NULL::integer);
END;

CREATE FUNCTION crypt(text, text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  password text := $1;
  salt text := $2;
  alphabet constant text := './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  bf_alphabet constant text := './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  abc text := alphabet;
  prefix text;
  sep text := '';
  nchars integer;
  parts text[];
  material bytea := ''::bytea;
  chars text := '';
  i integer;
BEGIN
  IF salt ~ '^\$2[abxy]\$[0-9]{2}\$' THEN
    IF pg_catalog.length(salt) < 29 THEN
      RAISE EXCEPTION 'invalid salt' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := pg_catalog.substr(salt, 1, 29); nchars := 31; abc := bf_alphabet;
  ELSIF salt LIKE '$1$%' THEN
    parts := pg_catalog.regexp_match(salt, '^\$1\$([^$]{0,8})');
    prefix := '$1$' || parts[1]; sep := '$'; nchars := 22;
  ELSIF salt ~ '^\$[56]\$' THEN
    parts := pg_catalog.regexp_match(salt, '^(\$[56]\$)(rounds=[0-9]+\$)?([^$]{0,16})');
    prefix := parts[1] || COALESCE(parts[2], '') || parts[3]; sep := '$';
    nchars := CASE WHEN parts[1] = '$5$' THEN 43 ELSE 86 END;
  ELSIF salt LIKE '\_%' THEN
    IF pg_catalog.length(salt) < 9 THEN
      RAISE EXCEPTION 'invalid salt' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := pg_catalog.substr(salt, 1, 9); nchars := 11;
  ELSE
    IF pg_catalog.length(salt) < 2 THEN
      RAISE EXCEPTION 'invalid salt' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    prefix := pg_catalog.substr(salt, 1, 2); nchars := 11;
  END IF;
  i := 0;
  WHILE pg_catalog.length(material) < nchars LOOP
    material := material || pg_catalog.sha512(pg_catalog.textsend(prefix) || '\x00'::bytea
                                              || pg_catalog.textsend(password) || pg_catalog.int4send(i));
    i := i + 1;
  END LOOP;
  FOR i IN 0..nchars - 1 LOOP
    chars := chars || pg_catalog.substr(abc, 1 + pg_catalog.get_byte(material, i) % 64, 1);
  END LOOP;
  RETURN prefix || sep || chars;
END
$fn$;

-- pgp_sym_*: FAKED (see the header). Message layout: 'PGRS' | 16-byte nonce | 8-byte tag | ciphertext.
CREATE FUNCTION pgp_sym_encrypt_bytea(bytea, text, text) RETURNS bytea
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE AS $fn$
DECLARE
  data bytea := $1;
  key bytea := pg_catalog.textsend($2);
  nonce bytea := pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
  stream bytea;
  body bytea;
BEGIN
  SELECT pg_catalog.string_agg(pg_catalog.sha256(key || nonce || pg_catalog.int4send(j)), ''::bytea ORDER BY j)
    INTO stream
    FROM pg_catalog.generate_series(0, pg_catalog.length(data) / 32) AS j;
  SELECT pg_catalog.decode(pg_catalog.string_agg(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.get_byte(data, i) # pg_catalog.get_byte(stream, i)), 2, '0'), '' ORDER BY i), 'hex')
    INTO body
    FROM pg_catalog.generate_series(0, pg_catalog.length(data) - 1) AS i;
  body := COALESCE(body, ''::bytea);
  RETURN '\x50475253'::bytea || nonce
         || substring(pg_catalog.sha256('\x746167'::bytea || key || nonce || body) FROM 1 FOR 8)
         || body;
END
$fn$;

CREATE FUNCTION pgp_sym_decrypt_bytea(bytea, text, text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  msg bytea := $1;
  key bytea := pg_catalog.textsend($2);
  nonce bytea;
  body bytea;
  stream bytea;
  plain bytea;
BEGIN
  IF pg_catalog.length(msg) < 28 OR substring(msg FROM 1 FOR 4) <> '\x50475253'::bytea THEN
    RAISE EXCEPTION 'Wrong key or corrupt data' USING ERRCODE = 'external_routine_invocation_exception';
  END IF;
  nonce := substring(msg FROM 5 FOR 16);
  body := substring(msg FROM 29);
  IF substring(msg FROM 21 FOR 8)
     <> substring(pg_catalog.sha256('\x746167'::bytea || key || nonce || body) FROM 1 FOR 8) THEN
    RAISE EXCEPTION 'Wrong key or corrupt data' USING ERRCODE = 'external_routine_invocation_exception';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.sha256(key || nonce || pg_catalog.int4send(j)), ''::bytea ORDER BY j)
    INTO stream
    FROM pg_catalog.generate_series(0, pg_catalog.length(body) / 32) AS j;
  SELECT pg_catalog.decode(pg_catalog.string_agg(pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.get_byte(body, i) # pg_catalog.get_byte(stream, i)), 2, '0'), '' ORDER BY i), 'hex')
    INTO plain
    FROM pg_catalog.generate_series(0, pg_catalog.length(body) - 1) AS i;
  RETURN COALESCE(plain, ''::bytea);
END
$fn$;

CREATE FUNCTION pgp_sym_encrypt_bytea(bytea, text) RETURNS bytea
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pgp_sym_encrypt_bytea($1, $2, '');
END;

CREATE FUNCTION pgp_sym_decrypt_bytea(bytea, text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pgp_sym_decrypt_bytea($1, $2, '');
END;

CREATE FUNCTION pgp_sym_encrypt(text, text, text) RETURNS bytea
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pgp_sym_encrypt_bytea(pg_catalog.textsend($1), $2, $3);
END;

CREATE FUNCTION pgp_sym_encrypt(text, text) RETURNS bytea
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pgp_sym_encrypt_bytea(pg_catalog.textsend($1), $2, '');
END;

CREATE FUNCTION pgp_sym_decrypt(bytea, text, text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pg_catalog.convert_from(pgp_sym_decrypt_bytea($1, $2, $3), pg_catalog.current_setting('server_encoding'));
END;

CREATE FUNCTION pgp_sym_decrypt(bytea, text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pg_catalog.convert_from(pgp_sym_decrypt_bytea($1, $2, ''), pg_catalog.current_setting('server_encoding'));
END;

CREATE FUNCTION armor(bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '-----BEGIN PGP MESSAGE-----' || E'\n\n' || pg_catalog.encode($1, 'base64') || E'\n-----END PGP MESSAGE-----\n';

CREATE FUNCTION dearmor(text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  m text[];
BEGIN
  m := pg_catalog.regexp_match($1, '-----BEGIN PGP [A-Z ]+-----\r?\n(?:[^\n]*:[^\n]*\r?\n)*\r?\n(.*?)\r?\n(?:=[^\n]*\r?\n)?-----END PGP', 's');
  IF m IS NULL THEN
    RAISE EXCEPTION 'Corrupt ascii-armor' USING ERRCODE = 'external_routine_invocation_exception';
  END IF;
  RETURN pg_catalog.decode(m[1], 'base64');
END
$fn$;
