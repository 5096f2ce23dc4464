-- pgrelease stand-in for shadow replays, NOT the real pgsodium extension.
--
-- A small subset of pgsodium 3.1's schema so that migrations written against older
-- Supabase projects replay: the key table and valid_key view, key types, create_key(),
-- randombytes_*, crypto_aead_det_* (by raw key, key uuid or key id), crypto_secretbox*,
-- crypto_generichash.
--
--   real:   the objects, signatures and round trips (decrypt(encrypt(x)) = x; wrong key or
--           tampered ciphertext raises), deterministic AEAD (same input, same output).
--   FAKED:  the cryptography: a SHA-256 keystream with a SHA-256 tag instead of
--           XChaCha20-SIV / XSalsa20-Poly1305 / BLAKE2b; the "root key" that derived keys
--           come from is a fixed public constant, so nothing here is secret.
--   ABSENT: transparent column encryption (security labels, event triggers), crypto_box,
--           crypto_sign, crypto_kdf, crypto_auth, the masking views.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pgsodium" to load this file. \quit

CREATE TYPE @extschema@.key_status AS ENUM ('default', 'valid', 'invalid', 'expired');
CREATE TYPE @extschema@.key_type AS ENUM (
  'aead-ietf', 'aead-det', 'hmacsha512', 'hmacsha256', 'auth', 'shorthash',
  'generichash', 'kdf', 'secretbox', 'secretstream', 'stream_xchacha20'
);

CREATE SEQUENCE @extschema@.key_key_id_seq START WITH 1;

CREATE TABLE @extschema@.key (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status @extschema@.key_status DEFAULT 'valid',
  created timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires timestamptz,
  key_type @extschema@.key_type,
  key_id bigint DEFAULT nextval('@extschema@.key_key_id_seq'::regclass),
  key_context bytea DEFAULT '\x7067736f6469756d'::bytea,
  name text UNIQUE,
  associated_data text DEFAULT 'associated',
  raw_key bytea,
  raw_key_nonce bytea,
  parent_key uuid REFERENCES @extschema@.key (id),
  comment text,
  user_data text,
  CONSTRAINT pgsodium_raw CHECK (
    CASE WHEN raw_key IS NOT NULL THEN key_id IS NULL AND key_context IS NULL AND parent_key IS NOT NULL
         ELSE key_id IS NOT NULL AND key_context IS NOT NULL AND parent_key IS NULL END)
);

CREATE VIEW @extschema@.valid_key AS
  SELECT id, name, status, key_type, key_id, key_context, created, expires, associated_data
    FROM @extschema@.key
   WHERE status IN ('valid', 'default')
     AND CASE WHEN expires IS NULL THEN true ELSE expires > now() END;

-- XOR with a SHA-256 keystream (FAKED cipher, see the header)
CREATE FUNCTION @extschema@._standin_xor(data bytea, key bytea, iv bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog AS $$
  WITH stream AS (
    SELECT string_agg(sha256(key || iv || int4send(j)), ''::bytea ORDER BY j) AS s
      FROM generate_series(0, length(data) / 32) AS j
  )
  SELECT coalesce(decode(string_agg(lpad(to_hex(get_byte(data, i) # get_byte(stream.s, i)), 2, '0'), '' ORDER BY i), 'hex'), ''::bytea)
    FROM stream, generate_series(0, length(data) - 1) AS i;
$$;

CREATE FUNCTION @extschema@._standin_derive_key(key_id bigint, context bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog AS $$
  SELECT sha256(convert_to('pgrelease stand-in root key (not secret)', 'UTF8') || int8send(key_id) || context);
$$;

CREATE FUNCTION @extschema@._standin_key_bytes(key_uuid uuid) RETURNS bytea
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog AS $$
DECLARE
  k record;
BEGIN
  SELECT * INTO k FROM @extschema@.key WHERE id = key_uuid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'pgsodium: key % not found', key_uuid;
  END IF;
  IF k.raw_key IS NOT NULL THEN
    RETURN sha256(k.raw_key);
  END IF;
  RETURN @extschema@._standin_derive_key(k.key_id, k.key_context);
END
$$;

CREATE FUNCTION @extschema@.randombytes_buf(size integer) RETURNS bytea
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog AS $$
DECLARE
  result bytea := ''::bytea;
  u bytea;
BEGIN
  WHILE length(result) < size LOOP
    u := uuid_send(gen_random_uuid());
    result := result || substring(u FROM 1 FOR 6) || substring(u FROM 10 FOR 7);
  END LOOP;
  RETURN substring(result FROM 1 FOR size);
END
$$;

CREATE FUNCTION @extschema@.randombytes_random() RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog
RETURN (('x' || encode(@extschema@.randombytes_buf(4), 'hex'))::bit(32)::integer);

CREATE FUNCTION @extschema@.randombytes_uniform(upper_bound integer) RETURNS integer
LANGUAGE sql VOLATILE STRICT
SET search_path = pg_catalog
RETURN ((('x' || encode(@extschema@.randombytes_buf(4), 'hex'))::bit(32)::bigint & 4294967295) % upper_bound)::integer;

CREATE FUNCTION @extschema@.crypto_aead_det_keygen() RETURNS bytea
LANGUAGE sql VOLATILE
RETURN @extschema@.randombytes_buf(32);

CREATE FUNCTION @extschema@.crypto_aead_det_noncegen() RETURNS bytea
LANGUAGE sql VOLATILE
RETURN @extschema@.randombytes_buf(16);

-- Deterministic AEAD (FAKED): ciphertext = 16-byte synthetic IV || message XOR keystream(key, IV)
CREATE FUNCTION @extschema@.crypto_aead_det_encrypt(message bytea, additional bytea, key bytea, nonce bytea DEFAULT NULL) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog AS $$
DECLARE
  siv bytea;
BEGIN
  IF message IS NULL OR key IS NULL THEN
    RETURN NULL;
  END IF;
  siv := substring(sha256(key || '\x00'::bytea || coalesce(additional, ''::bytea) || '\x00'::bytea
                          || coalesce(nonce, ''::bytea) || '\x00'::bytea || message) FROM 1 FOR 16);
  RETURN siv || @extschema@._standin_xor(message, key, siv);
END
$$;

CREATE FUNCTION @extschema@.crypto_aead_det_decrypt(message bytea, additional bytea, key bytea, nonce bytea DEFAULT NULL) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog AS $$
DECLARE
  siv bytea;
  plain bytea;
BEGIN
  IF message IS NULL OR key IS NULL THEN
    RETURN NULL;
  END IF;
  IF length(message) < 16 THEN
    RAISE EXCEPTION 'pgsodium_crypto_aead_det_decrypt: invalid message';
  END IF;
  siv := substring(message FROM 1 FOR 16);
  plain := @extschema@._standin_xor(substring(message FROM 17), key, siv);
  IF substring(sha256(key || '\x00'::bytea || coalesce(additional, ''::bytea) || '\x00'::bytea
                      || coalesce(nonce, ''::bytea) || '\x00'::bytea || plain) FROM 1 FOR 16) <> siv THEN
    RAISE EXCEPTION 'pgsodium_crypto_aead_det_decrypt: invalid ciphertext';
  END IF;
  RETURN plain;
END
$$;

CREATE FUNCTION @extschema@.crypto_aead_det_encrypt(message bytea, additional bytea, key_id bigint, context bytea DEFAULT 'pgsodium', nonce bytea DEFAULT NULL) RETURNS bytea
LANGUAGE sql IMMUTABLE
RETURN @extschema@.crypto_aead_det_encrypt(message, additional, @extschema@._standin_derive_key(key_id, context), nonce);

CREATE FUNCTION @extschema@.crypto_aead_det_decrypt(message bytea, additional bytea, key_id bigint, context bytea DEFAULT 'pgsodium', nonce bytea DEFAULT NULL) RETURNS bytea
LANGUAGE sql IMMUTABLE
RETURN @extschema@.crypto_aead_det_decrypt(message, additional, @extschema@._standin_derive_key(key_id, context), nonce);

CREATE FUNCTION @extschema@.crypto_aead_det_encrypt(message bytea, additional bytea, key_uuid uuid) RETURNS bytea
LANGUAGE sql STABLE
RETURN @extschema@.crypto_aead_det_encrypt(message, additional, @extschema@._standin_key_bytes(key_uuid), NULL::bytea);

CREATE FUNCTION @extschema@.crypto_aead_det_decrypt(message bytea, additional bytea, key_uuid uuid) RETURNS bytea
LANGUAGE sql STABLE
RETURN @extschema@.crypto_aead_det_decrypt(message, additional, @extschema@._standin_key_bytes(key_uuid), NULL::bytea);

CREATE FUNCTION @extschema@.crypto_aead_det_encrypt(message bytea, additional bytea, key_uuid uuid, nonce bytea) RETURNS bytea
LANGUAGE sql STABLE
RETURN @extschema@.crypto_aead_det_encrypt(message, additional, @extschema@._standin_key_bytes(key_uuid), nonce);

CREATE FUNCTION @extschema@.crypto_aead_det_decrypt(message bytea, additional bytea, key_uuid uuid, nonce bytea) RETURNS bytea
LANGUAGE sql STABLE
RETURN @extschema@.crypto_aead_det_decrypt(message, additional, @extschema@._standin_key_bytes(key_uuid), nonce);

CREATE FUNCTION @extschema@.crypto_secretbox_keygen() RETURNS bytea
LANGUAGE sql VOLATILE
RETURN @extschema@.randombytes_buf(32);

CREATE FUNCTION @extschema@.crypto_secretbox_noncegen() RETURNS bytea
LANGUAGE sql VOLATILE
RETURN @extschema@.randombytes_buf(24);

CREATE FUNCTION @extschema@.crypto_secretbox(message bytea, nonce bytea, key bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
RETURN substring(sha256(key || nonce || message) FROM 1 FOR 16) || @extschema@._standin_xor(message, key, nonce);

CREATE FUNCTION @extschema@.crypto_secretbox_open(ciphertext bytea, nonce bytea, key bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog AS $$
DECLARE
  plain bytea;
BEGIN
  IF length(ciphertext) < 16 THEN
    RAISE EXCEPTION 'pgsodium_crypto_secretbox_open: invalid message';
  END IF;
  plain := @extschema@._standin_xor(substring(ciphertext FROM 17), key, nonce);
  IF substring(sha256(key || nonce || plain) FROM 1 FOR 16) <> substring(ciphertext FROM 1 FOR 16) THEN
    RAISE EXCEPTION 'pgsodium_crypto_secretbox_open: invalid message';
  END IF;
  RETURN plain;
END
$$;

CREATE FUNCTION @extschema@.crypto_generichash(message bytea, key bytea DEFAULT NULL) RETURNS bytea
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN message IS NULL THEN NULL
            ELSE sha256(coalesce(key, ''::bytea) || '\x00'::bytea || message) END;

CREATE FUNCTION @extschema@.create_key(
  key_type @extschema@.key_type DEFAULT 'aead-det',
  name text DEFAULT NULL,
  raw_key bytea DEFAULT NULL,
  raw_key_nonce bytea DEFAULT NULL,
  parent_key uuid DEFAULT NULL,
  key_context bytea DEFAULT '\x7067736f6469756d'::bytea,
  expires timestamptz DEFAULT NULL,
  associated_data text DEFAULT ''
) RETURNS @extschema@.valid_key
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog AS $$
DECLARE
  new_key @extschema@.key;
  valid @extschema@.valid_key;
  parent uuid := create_key.parent_key;
BEGIN
  IF create_key.raw_key IS NOT NULL AND parent IS NULL THEN
    -- like pgsodium: a raw key is stored encrypted by a new derived parent key
    SELECT (@extschema@.create_key()).id INTO parent;
  END IF;
  INSERT INTO @extschema@.key (key_type, name, raw_key, raw_key_nonce, parent_key, key_context, expires, associated_data,
                               key_id)
  VALUES (create_key.key_type, create_key.name, create_key.raw_key, create_key.raw_key_nonce,
          CASE WHEN create_key.raw_key IS NULL THEN NULL ELSE parent END,
          CASE WHEN create_key.raw_key IS NULL THEN create_key.key_context ELSE NULL END,
          create_key.expires, create_key.associated_data,
          CASE WHEN create_key.raw_key IS NULL THEN nextval('@extschema@.key_key_id_seq'::regclass) ELSE NULL END)
  RETURNING * INTO new_key;
  SELECT * INTO valid FROM @extschema@.valid_key v WHERE v.id = new_key.id;
  RETURN valid;
END
$$;
