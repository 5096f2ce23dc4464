-- pgrelease stand-in for shadow replays, NOT the real supabase_vault extension.
--
-- Reproduces Vault 0.3's schema "vault": table vault.secrets, view vault.decrypted_secrets,
-- vault.create_secret() / vault.update_secret() with the real signatures and the
-- internal vault._crypto_aead_det_* functions, plus the real privileges (postgres may
-- read and delete, not write the table directly; PUBLIC nothing).
--
--   real:   the objects, the round trip (create_secret, then decrypted_secrets gives the
--           secret back), the secret column holding base64 ciphertext, not the plain text.
--   FAKED:  the cipher: a SHA-256 keystream with a synthetic IV, keyed by a fixed public
--           constant, so the ciphertext protects nothing. Rows whose secret is not stand-in
--           ciphertext decrypt to NULL instead of raising.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION supabase_vault" to load this file. \quit

CREATE FUNCTION @extschema@._crypto_aead_det_noncegen() RETURNS bytea
LANGUAGE sql VOLATILE
SET search_path = pg_catalog
RETURN substring(uuid_send(gen_random_uuid()) FROM 1 FOR 6) || substring(uuid_send(gen_random_uuid()) FROM 1 FOR 6)
       || substring(uuid_send(gen_random_uuid()) FROM 1 FOR 4);

CREATE FUNCTION @extschema@._standin_stream_xor(data bytea, key bytea, iv bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog AS $$
  WITH stream AS (
    SELECT string_agg(sha256(key || iv || int4send(j)), ''::bytea ORDER BY j) AS s
      FROM generate_series(0, length(data) / 32) AS j
  )
  SELECT coalesce(decode(string_agg(lpad(to_hex(get_byte(data, i) # get_byte(stream.s, i)), 2, '0'), '' ORDER BY i), 'hex'), ''::bytea)
    FROM stream, generate_series(0, length(data) - 1) AS i;
$$;

CREATE FUNCTION @extschema@._crypto_aead_det_encrypt(
  message bytea, additional bytea, key_id bigint, context bytea DEFAULT 'pgsodium', nonce bytea DEFAULT NULL
) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog AS $$
DECLARE
  key bytea := sha256(convert_to('pgrelease vault stand-in key (not secret)', 'UTF8') || int8send(coalesce(key_id, 0)) || coalesce(context, ''::bytea));
  siv bytea;
BEGIN
  IF message IS NULL THEN
    RETURN NULL;
  END IF;
  siv := substring(sha256(key || coalesce(additional, ''::bytea) || '\x00'::bytea || coalesce(nonce, ''::bytea) || '\x00'::bytea || message) FROM 1 FOR 16);
  RETURN siv || @extschema@._standin_stream_xor(message, key, siv);
END
$$;

CREATE FUNCTION @extschema@._crypto_aead_det_decrypt(
  message bytea, additional bytea, key_id bigint, context bytea DEFAULT 'pgsodium', nonce bytea DEFAULT NULL
) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog AS $$
DECLARE
  key bytea := sha256(convert_to('pgrelease vault stand-in key (not secret)', 'UTF8') || int8send(coalesce(key_id, 0)) || coalesce(context, ''::bytea));
  siv bytea;
  plain bytea;
BEGIN
  IF message IS NULL OR length(message) < 16 THEN
    RETURN NULL;
  END IF;
  siv := substring(message FROM 1 FOR 16);
  plain := @extschema@._standin_stream_xor(substring(message FROM 17), key, siv);
  IF substring(sha256(key || coalesce(additional, ''::bytea) || '\x00'::bytea || coalesce(nonce, ''::bytea) || '\x00'::bytea || plain) FROM 1 FOR 16) <> siv THEN
    RETURN NULL;  -- not stand-in ciphertext (see the header)
  END IF;
  RETURN plain;
END
$$;

CREATE FUNCTION @extschema@._standin_try_decode(data text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog AS $$
BEGIN
  RETURN decode(data, 'base64');
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
$$;

CREATE TABLE @extschema@.secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text,
  description text NOT NULL DEFAULT '',
  secret text NOT NULL,
  key_id uuid,
  nonce bytea DEFAULT @extschema@._crypto_aead_det_noncegen(),
  created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
);

COMMENT ON TABLE @extschema@.secrets IS 'Table with encrypted `secret` column for storing sensitive information on disk.';

CREATE UNIQUE INDEX secrets_name_idx ON @extschema@.secrets USING btree (name) WHERE name IS NOT NULL;

CREATE VIEW @extschema@.decrypted_secrets AS
SELECT s.id,
       s.name,
       s.description,
       s.secret,
       convert_from(
         @extschema@._crypto_aead_det_decrypt(
           message := @extschema@._standin_try_decode(s.secret),
           additional := convert_to(s.id::text, 'utf8'),
           key_id := 0,
           context := 'pgsodium'::bytea,
           nonce := s.nonce),
         'utf8') AS decrypted_secret,
       s.key_id,
       s.nonce,
       s.created_at,
       s.updated_at
  FROM @extschema@.secrets s;

CREATE FUNCTION @extschema@.create_secret(
  new_secret text,
  new_name text DEFAULT NULL,
  new_description text DEFAULT '',
  new_key_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = '' AS $$
DECLARE
  rec record;
BEGIN
  INSERT INTO @extschema@.secrets (secret, name, description)
  VALUES (new_secret, new_name, new_description)
  RETURNING * INTO rec;

  UPDATE @extschema@.secrets s
     SET secret = encode(@extschema@._crypto_aead_det_encrypt(
           message := convert_to(rec.secret, 'utf8'),
           additional := convert_to(s.id::text, 'utf8'),
           key_id := 0,
           context := 'pgsodium'::bytea,
           nonce := rec.nonce), 'base64')
   WHERE id = rec.id;

  RETURN rec.id;
END
$$;

CREATE FUNCTION @extschema@.update_secret(
  secret_id uuid,
  new_secret text DEFAULT NULL,
  new_name text DEFAULT NULL,
  new_description text DEFAULT NULL,
  new_key_id uuid DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = '' AS $$
BEGIN
  UPDATE @extschema@.secrets s
     SET secret = CASE WHEN new_secret IS NULL THEN s.secret
                       ELSE encode(@extschema@._crypto_aead_det_encrypt(
                              message := convert_to(new_secret, 'utf8'),
                              additional := convert_to(s.id::text, 'utf8'),
                              key_id := 0,
                              context := 'pgsodium'::bytea,
                              nonce := s.nonce), 'base64') END,
         name = coalesce(new_name, s.name),
         description = coalesce(new_description, s.description),
         updated_at = now()
   WHERE s.id = secret_id;
END
$$;

-- Privileges as in Vault 0.3: nothing for PUBLIC; postgres reads and deletes, and uses the functions.
REVOKE ALL ON @extschema@.secrets FROM PUBLIC;
REVOKE ALL ON @extschema@.decrypted_secrets FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.create_secret(text, text, text, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.update_secret(uuid, text, text, text, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._crypto_aead_det_encrypt(bytea, bytea, bigint, bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea) FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'postgres') THEN
    GRANT USAGE ON SCHEMA @extschema@ TO postgres WITH GRANT OPTION;
    GRANT SELECT, DELETE ON @extschema@.secrets TO postgres WITH GRANT OPTION;
    GRANT SELECT, DELETE ON @extschema@.decrypted_secrets TO postgres WITH GRANT OPTION;
    GRANT EXECUTE ON FUNCTION @extschema@.create_secret(text, text, text, uuid) TO postgres WITH GRANT OPTION;
    GRANT EXECUTE ON FUNCTION @extschema@.update_secret(uuid, text, text, text, uuid) TO postgres WITH GRANT OPTION;
    GRANT EXECUTE ON FUNCTION @extschema@._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea) TO postgres WITH GRANT OPTION;
    GRANT EXECUTE ON FUNCTION @extschema@._crypto_aead_det_encrypt(bytea, bytea, bigint, bytea, bytea) TO postgres WITH GRANT OPTION;
    GRANT EXECUTE ON FUNCTION @extschema@._crypto_aead_det_noncegen() TO postgres WITH GRANT OPTION;
  END IF;
END
$$;
