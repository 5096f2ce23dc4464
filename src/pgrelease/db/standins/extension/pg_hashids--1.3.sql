-- pgrelease stand-in for shadow replays, NOT the real pg_hashids extension.
--
-- pg_hashids (github.com/iCyberon/pg_hashids, C) encodes integers into short ids with the
-- Hashids algorithm (hashids.org). This is the same algorithm in PL/pgSQL, with 1.3's functions:
--
--   real:   id_encode(bigint | bigint[] [, salt text [, min_length int [, alphabet text]]]) -> text,
--           id_decode(text [, salt [, min_length [, alphabet]]]) -> bigint[], id_decode_once(...) -> bigint,
--           and the older hash_encode(bigint [, text [, int]]) / hash_decode(text, text, int).
--           Ids are those of the Hashids reference implementations (id_encode(1001) = 'jNl';
--           id_encode(1234567, 'This is my salt', 10) = 'PlRPdzxpR7').
--   ABSENT: nothing of the interface; it is slower than C.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_hashids" to load this file. \quit

CREATE FUNCTION _hashids_shuffle(alphabet text, salt text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path FROM CURRENT AS $fn$
DECLARE
  chars text[] := string_to_array(alphabet, NULL);
  i int := array_length(chars, 1) - 1;
  v int := 0;
  p int := 0;
  n int;
  j int;
  t text;
BEGIN
  IF salt = '' OR i IS NULL THEN
    RETURN alphabet;
  END IF;
  WHILE i > 0 LOOP
    v := v % length(salt);
    n := ascii(substr(salt, v + 1, 1));
    p := p + n;
    j := (n + v + p) % i;
    t := chars[i + 1]; chars[i + 1] := chars[j + 1]; chars[j + 1] := t;
    i := i - 1;
    v := v + 1;
  END LOOP;
  RETURN array_to_string(chars, '');
END;
$fn$;

-- (alphabet, separators, guards) for a salt and an alphabet, as every Hashids implementation sets them up
CREATE FUNCTION _hashids_setup(salt text, alphabet text, OUT alpha text, OUT seps text, OUT guards text)
LANGUAGE plpgsql IMMUTABLE SET search_path FROM CURRENT AS $fn$
DECLARE
  uniq text := '';
  c text;
  seps_len int;
  diff int;
  guard_count int;
BEGIN
  FOREACH c IN ARRAY string_to_array(alphabet, NULL) LOOP
    IF position(c IN uniq) = 0 THEN uniq := uniq || c; END IF;
  END LOOP;
  IF length(uniq) < 16 THEN
    RAISE EXCEPTION 'alphabet must contain at least 16 unique characters' USING ERRCODE = '22023';
  END IF;
  IF position(' ' IN uniq) > 0 THEN
    RAISE EXCEPTION 'alphabet cannot contain spaces' USING ERRCODE = '22023';
  END IF;
  seps := '';
  FOREACH c IN ARRAY string_to_array('cfhistuCFHISTU', NULL) LOOP
    IF position(c IN uniq) > 0 THEN seps := seps || c; END IF;
  END LOOP;
  alpha := translate(uniq, seps, '');
  seps := _hashids_shuffle(seps, salt);
  IF seps = '' OR length(alpha)::numeric / length(seps) > 3.5 THEN
    seps_len := ceil(length(alpha) / 3.5);
    IF seps_len = 1 THEN seps_len := 2; END IF;
    IF seps_len > length(seps) THEN
      diff := seps_len - length(seps);
      seps := seps || left(alpha, diff);
      alpha := substr(alpha, diff + 1);
    ELSE
      seps := left(seps, seps_len);
    END IF;
  END IF;
  alpha := _hashids_shuffle(alpha, salt);
  guard_count := ceil(length(alpha) / 12.0);
  IF length(alpha) < 3 THEN
    guards := left(seps, guard_count);
    seps := substr(seps, guard_count + 1);
  ELSE
    guards := left(alpha, guard_count);
    alpha := substr(alpha, guard_count + 1);
  END IF;
END;
$fn$;

CREATE FUNCTION _hashids_hash(number bigint, alphabet text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path FROM CURRENT AS $fn$
DECLARE
  hashed text := '';
  len int := length(alphabet);
BEGIN
  LOOP
    hashed := substr(alphabet, (number % len)::int + 1, 1) || hashed;
    number := number / len;
    EXIT WHEN number = 0;
  END LOOP;
  RETURN hashed;
END;
$fn$;

CREATE FUNCTION id_encode(numbers bigint[], salt text, min_length integer, alphabet text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path FROM CURRENT AS $fn$
DECLARE
  s record;
  alpha text;
  values_hash bigint := 0;
  lottery text;
  ret text;
  last text;
  buffer text;
  n bigint;
  i int;
  half int;
  excess int;
BEGIN
  IF cardinality(numbers) = 0 THEN RETURN ''; END IF;
  FOR i IN 1 .. cardinality(numbers) LOOP
    IF numbers[i] < 0 THEN RETURN ''; END IF;  -- Hashids encodes non-negative integers only
    values_hash := values_hash + numbers[i] % (i - 1 + 100);
  END LOOP;
  s := _hashids_setup(salt, alphabet);
  alpha := s.alpha;
  lottery := substr(alpha, (values_hash % length(alpha))::int + 1, 1);
  ret := lottery;
  FOR i IN 1 .. cardinality(numbers) LOOP
    n := numbers[i];
    buffer := lottery || salt || alpha;
    alpha := _hashids_shuffle(alpha, left(buffer, length(alpha)));
    last := _hashids_hash(n, alpha);
    ret := ret || last;
    IF i < cardinality(numbers) THEN
      n := n % (ascii(last) + i - 1);
      ret := ret || substr(s.seps, (n % length(s.seps))::int + 1, 1);
    END IF;
  END LOOP;
  IF length(ret) < min_length THEN
    ret := substr(s.guards, ((values_hash + ascii(ret)) % length(s.guards))::int + 1, 1) || ret;
    IF length(ret) < min_length THEN
      ret := ret || substr(s.guards, ((values_hash + ascii(substr(ret, 3, 1))) % length(s.guards))::int + 1, 1);
    END IF;
  END IF;
  half := length(alpha) / 2;
  WHILE length(ret) < min_length LOOP
    alpha := _hashids_shuffle(alpha, alpha);
    ret := substr(alpha, half + 1) || ret || left(alpha, half);
    excess := length(ret) - min_length;
    IF excess > 0 THEN
      ret := substr(ret, excess / 2 + 1, min_length);
    END IF;
  END LOOP;
  RETURN ret;
END;
$fn$;

CREATE FUNCTION id_decode(hashid text, salt text, min_length integer, alphabet text) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path FROM CURRENT AS $fn$
DECLARE
  s record;
  alpha text;
  parts text[];
  breakdown text;
  lottery text;
  sub text;
  buffer text;
  number bigint;
  c text;
  result bigint[] := '{}';
BEGIN
  IF hashid = '' THEN RETURN result; END IF;
  s := _hashids_setup(salt, alphabet);
  alpha := s.alpha;
  parts := string_to_array(translate(hashid, s.guards, repeat(' ', length(s.guards))), ' ');
  breakdown := parts[CASE WHEN cardinality(parts) IN (2, 3) THEN 2 ELSE 1 END];
  IF breakdown IS NULL OR breakdown = '' THEN RETURN result; END IF;
  lottery := left(breakdown, 1);
  breakdown := substr(breakdown, 2);
  FOREACH sub IN ARRAY string_to_array(translate(breakdown, s.seps, repeat(' ', length(s.seps))), ' ') LOOP
    buffer := lottery || salt || alpha;
    alpha := _hashids_shuffle(alpha, left(buffer, length(alpha)));
    number := 0;
    FOREACH c IN ARRAY string_to_array(sub, NULL) LOOP
      IF position(c IN alpha) = 0 THEN RETURN '{}'; END IF;
      number := number * length(alpha) + position(c IN alpha) - 1;
    END LOOP;
    result := result || number;
  END LOOP;
  IF id_encode(result, salt, min_length, alphabet) <> hashid THEN
    RETURN '{}';  -- not an id of this salt and alphabet
  END IF;
  RETURN result;
END;
$fn$;

CREATE FUNCTION id_encode(number bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(ARRAY[number], '', 0, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_encode(number bigint, salt text) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(ARRAY[number], salt, 0, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_encode(number bigint, salt text, min_length integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(ARRAY[number], salt, min_length, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_encode(number bigint, salt text, min_length integer, alphabet text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS $fn$ SELECT id_encode(ARRAY[number], salt, min_length, alphabet) $fn$;
CREATE FUNCTION id_encode(numbers bigint[]) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(numbers, '', 0, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_encode(numbers bigint[], salt text) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(numbers, salt, 0, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_encode(numbers bigint[], salt text, min_length integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(numbers, salt, min_length, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;

CREATE FUNCTION id_decode(hashid text) RETURNS bigint[] LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_decode(hashid, '', 0, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_decode(hashid text, salt text) RETURNS bigint[] LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_decode(hashid, salt, 0, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;
CREATE FUNCTION id_decode(hashid text, salt text, min_length integer) RETURNS bigint[] LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_decode(hashid, salt, min_length, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890') $fn$;

CREATE FUNCTION id_decode_once(hashid text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT (id_decode(hashid))[1] $fn$;
CREATE FUNCTION id_decode_once(hashid text, salt text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT (id_decode(hashid, salt))[1] $fn$;
CREATE FUNCTION id_decode_once(hashid text, salt text, min_length integer) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT (id_decode(hashid, salt, min_length))[1] $fn$;
CREATE FUNCTION id_decode_once(hashid text, salt text, min_length integer, alphabet text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS $fn$ SELECT (id_decode(hashid, salt, min_length, alphabet))[1] $fn$;

-- the names of pg_hashids before 1.2
CREATE FUNCTION hash_encode(number bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(number) $fn$;
CREATE FUNCTION hash_encode(number bigint, salt text) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(number, salt) $fn$;
CREATE FUNCTION hash_encode(number bigint, salt text, min_length integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_encode(number, salt, min_length) $fn$;
CREATE FUNCTION hash_decode(hashid text, salt text, min_length integer) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS
$fn$ SELECT id_decode_once(hashid, salt, min_length) $fn$;
