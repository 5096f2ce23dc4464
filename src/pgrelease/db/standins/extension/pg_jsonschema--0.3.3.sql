-- pgrelease stand-in for shadow replays, NOT the real pg_jsonschema extension.
--
-- json_matches_schema(schema json, instance json), jsonb_matches_schema(schema json,
-- instance jsonb), jsonschema_is_valid(schema json) and jsonschema_validation_errors(schema
-- json, instance json) with the real signatures (IMMUTABLE, so they work in CHECK
-- constraints), backed by a PL/pgSQL validator for a subset of JSON Schema:
--
--   checked:  boolean schemas, type (string or array; "integer" = whole number), enum,
--             const, required, properties, additionalProperties (false or a schema),
--             patternProperties, minProperties, maxProperties, items (schema or tuple
--             array), prefixItems, minItems, maxItems, uniqueItems, contains, minLength,
--             maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum
--             (number or draft-4 boolean), multipleOf, allOf, anyOf, oneOf, not,
--             if/then/else, and local "$ref": "#/..." pointers.
--   IGNORED (always pass): format, $ref to other documents, dependentRequired,
--             dependentSchemas, unevaluated*, contentEncoding, propertyNames.
--   Error messages are this stand-in's own, not the jsonschema crate's.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pg_jsonschema" to load this file. \quit

CREATE FUNCTION @extschema@._standin_jsonschema_errors(sch jsonb, inst jsonb, path text, root jsonb)
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog AS $fn$
DECLARE
  errs text[] := '{}';
  p text := CASE WHEN path = '' THEN '/' ELSE path END;  -- for messages
  itype text := jsonb_typeof(inst);
  t text;
  types text[];
  ok boolean;
  k text;
  v jsonb;
  sub jsonb;
  i integer;
  n integer;
  cnt integer;
  num numeric;
  ptr text[];
BEGIN
  IF sch IS NULL THEN
    RETURN errs;
  END IF;
  IF jsonb_typeof(sch) = 'boolean' THEN
    IF sch = 'false'::jsonb THEN
      RETURN ARRAY[format('%s: no value is allowed here (schema false)', p)];
    END IF;
    RETURN errs;
  END IF;
  IF jsonb_typeof(sch) <> 'object' THEN
    RETURN errs;
  END IF;

  -- local $ref ("#", "#/definitions/x", "#/$defs/x")
  IF sch ? '$ref' AND left(sch ->> '$ref', 1) = '#' THEN
    ptr := array_remove(string_to_array(substr(sch ->> '$ref', 2), '/'), '');
    sub := root #> ptr;
    IF sub IS NOT NULL THEN
      errs := errs || @extschema@._standin_jsonschema_errors(sub, inst, path, root);
    END IF;
  END IF;

  IF sch ? 'type' THEN
    types := CASE WHEN jsonb_typeof(sch -> 'type') = 'array'
                  THEN ARRAY(SELECT jsonb_array_elements_text(sch -> 'type'))
                  ELSE ARRAY[sch ->> 'type'] END;
    ok := false;
    FOREACH t IN ARRAY types LOOP
      IF t = itype
         OR (t = 'integer' AND itype = 'number' AND (inst #>> '{}')::numeric = trunc((inst #>> '{}')::numeric)) THEN
        ok := true;
      END IF;
    END LOOP;
    IF NOT ok THEN
      errs := errs || format('%s: %s is not of type %s', p, inst::text, array_to_string(types, ' or '));
      RETURN errs;  -- the other keywords would only add noise
    END IF;
  END IF;

  IF sch ? 'enum' AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(sch -> 'enum') e WHERE e = inst) THEN
    errs := errs || format('%s: %s is not one of %s', p, inst::text, (sch -> 'enum')::text);
  END IF;
  IF sch ? 'const' AND (sch -> 'const') <> inst THEN
    errs := errs || format('%s: %s is not %s', p, inst::text, (sch -> 'const')::text);
  END IF;

  -- combinators
  IF sch ? 'allOf' THEN
    FOR sub IN SELECT jsonb_array_elements(sch -> 'allOf') LOOP
      errs := errs || @extschema@._standin_jsonschema_errors(sub, inst, path, root);
    END LOOP;
  END IF;
  IF sch ? 'anyOf' THEN
    ok := false;
    FOR sub IN SELECT jsonb_array_elements(sch -> 'anyOf') LOOP
      IF cardinality(@extschema@._standin_jsonschema_errors(sub, inst, path, root)) = 0 THEN
        ok := true;
        EXIT;
      END IF;
    END LOOP;
    IF NOT ok THEN
      errs := errs || format('%s: %s is not valid under any of the given schemas', p, inst::text);
    END IF;
  END IF;
  IF sch ? 'oneOf' THEN
    cnt := 0;
    FOR sub IN SELECT jsonb_array_elements(sch -> 'oneOf') LOOP
      IF cardinality(@extschema@._standin_jsonschema_errors(sub, inst, path, root)) = 0 THEN
        cnt := cnt + 1;
      END IF;
    END LOOP;
    IF cnt <> 1 THEN
      errs := errs || format('%s: %s is valid under %s of the oneOf schemas, not exactly one', p, inst::text, cnt);
    END IF;
  END IF;
  IF sch ? 'not' AND cardinality(@extschema@._standin_jsonschema_errors(sch -> 'not', inst, path, root)) = 0 THEN
    errs := errs || format('%s: %s should not be valid under %s', p, inst::text, (sch -> 'not')::text);
  END IF;
  IF sch ? 'if' THEN
    IF cardinality(@extschema@._standin_jsonschema_errors(sch -> 'if', inst, path, root)) = 0 THEN
      errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'then', inst, path, root);
    ELSE
      errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'else', inst, path, root);
    END IF;
  END IF;

  IF itype = 'object' THEN
    IF sch ? 'required' THEN
      FOR k IN SELECT jsonb_array_elements_text(sch -> 'required') LOOP
        IF NOT inst ? k THEN
          errs := errs || format('%s: "%s" is a required property', p, k);
        END IF;
      END LOOP;
    END IF;
    n := (SELECT count(*) FROM jsonb_object_keys(inst));
    IF sch ? 'minProperties' AND n < (sch ->> 'minProperties')::numeric THEN
      errs := errs || format('%s: has fewer than %s properties', p, sch ->> 'minProperties');
    END IF;
    IF sch ? 'maxProperties' AND n > (sch ->> 'maxProperties')::numeric THEN
      errs := errs || format('%s: has more than %s properties', p, sch ->> 'maxProperties');
    END IF;
    FOR k, v IN SELECT * FROM jsonb_each(inst) LOOP
      ok := false;
      IF jsonb_typeof(sch -> 'properties') = 'object' AND (sch -> 'properties') ? k THEN
        ok := true;
        errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'properties' -> k, v, path || '/' || k, root);
      END IF;
      IF jsonb_typeof(sch -> 'patternProperties') = 'object' THEN
        FOR t, sub IN SELECT * FROM jsonb_each(sch -> 'patternProperties') LOOP
          IF k ~ t THEN
            ok := true;
            errs := errs || @extschema@._standin_jsonschema_errors(sub, v, path || '/' || k, root);
          END IF;
        END LOOP;
      END IF;
      IF NOT ok AND sch ? 'additionalProperties' THEN
        IF sch -> 'additionalProperties' = 'false'::jsonb THEN
          errs := errs || format('%s: additional property "%s" is not allowed', p, k);
        ELSE
          errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'additionalProperties', v, path || '/' || k, root);
        END IF;
      END IF;
    END LOOP;
  END IF;

  IF itype = 'array' THEN
    n := jsonb_array_length(inst);
    IF sch ? 'minItems' AND n < (sch ->> 'minItems')::numeric THEN
      errs := errs || format('%s: %s has fewer than %s items', p, inst::text, sch ->> 'minItems');
    END IF;
    IF sch ? 'maxItems' AND n > (sch ->> 'maxItems')::numeric THEN
      errs := errs || format('%s: %s has more than %s items', p, inst::text, sch ->> 'maxItems');
    END IF;
    IF (sch -> 'uniqueItems') = 'true'::jsonb
       AND (SELECT count(DISTINCT e) FROM jsonb_array_elements(inst) e) < n THEN
      errs := errs || format('%s: %s has non-unique elements', p, inst::text);
    END IF;
    cnt := 0;  -- items already checked by position
    IF jsonb_typeof(sch -> 'prefixItems') = 'array' THEN
      cnt := jsonb_array_length(sch -> 'prefixItems');
      FOR i IN 0 .. least(n, cnt) - 1 LOOP
        errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'prefixItems' -> i, inst -> i, path || '/' || i, root);
      END LOOP;
    ELSIF jsonb_typeof(sch -> 'items') = 'array' THEN
      cnt := jsonb_array_length(sch -> 'items');
      FOR i IN 0 .. least(n, cnt) - 1 LOOP
        errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'items' -> i, inst -> i, path || '/' || i, root);
      END LOOP;
    END IF;
    IF sch ? 'items' AND jsonb_typeof(sch -> 'items') <> 'array' THEN
      FOR i IN cnt .. n - 1 LOOP
        errs := errs || @extschema@._standin_jsonschema_errors(sch -> 'items', inst -> i, path || '/' || i, root);
      END LOOP;
    END IF;
    IF sch ? 'contains' THEN
      ok := false;
      FOR i IN 0 .. n - 1 LOOP
        IF cardinality(@extschema@._standin_jsonschema_errors(sch -> 'contains', inst -> i, path || '/' || i, root)) = 0 THEN
          ok := true;
          EXIT;
        END IF;
      END LOOP;
      IF NOT ok THEN
        errs := errs || format('%s: %s does not contain a matching item', p, inst::text);
      END IF;
    END IF;
  END IF;

  IF itype = 'string' THEN
    n := char_length(inst #>> '{}');
    IF sch ? 'minLength' AND n < (sch ->> 'minLength')::numeric THEN
      errs := errs || format('%s: %s is shorter than %s characters', p, inst::text, sch ->> 'minLength');
    END IF;
    IF sch ? 'maxLength' AND n > (sch ->> 'maxLength')::numeric THEN
      errs := errs || format('%s: %s is longer than %s characters', p, inst::text, sch ->> 'maxLength');
    END IF;
    IF sch ? 'pattern' AND NOT (inst #>> '{}') ~ (sch ->> 'pattern') THEN
      errs := errs || format('%s: %s does not match "%s"', p, inst::text, sch ->> 'pattern');
    END IF;
  END IF;

  IF itype = 'number' THEN
    num := (inst #>> '{}')::numeric;
    IF sch ? 'minimum' THEN
      IF (sch -> 'exclusiveMinimum') = 'true'::jsonb THEN
        IF num <= (sch ->> 'minimum')::numeric THEN
          errs := errs || format('%s: %s is less than or equal to the minimum of %s', p, num, sch ->> 'minimum');
        END IF;
      ELSIF num < (sch ->> 'minimum')::numeric THEN
        errs := errs || format('%s: %s is less than the minimum of %s', p, num, sch ->> 'minimum');
      END IF;
    END IF;
    IF sch ? 'maximum' THEN
      IF (sch -> 'exclusiveMaximum') = 'true'::jsonb THEN
        IF num >= (sch ->> 'maximum')::numeric THEN
          errs := errs || format('%s: %s is greater than or equal to the maximum of %s', p, num, sch ->> 'maximum');
        END IF;
      ELSIF num > (sch ->> 'maximum')::numeric THEN
        errs := errs || format('%s: %s is greater than the maximum of %s', p, num, sch ->> 'maximum');
      END IF;
    END IF;
    IF jsonb_typeof(sch -> 'exclusiveMinimum') = 'number' AND num <= (sch ->> 'exclusiveMinimum')::numeric THEN
      errs := errs || format('%s: %s is less than or equal to the minimum of %s', p, num, sch ->> 'exclusiveMinimum');
    END IF;
    IF jsonb_typeof(sch -> 'exclusiveMaximum') = 'number' AND num >= (sch ->> 'exclusiveMaximum')::numeric THEN
      errs := errs || format('%s: %s is greater than or equal to the maximum of %s', p, num, sch ->> 'exclusiveMaximum');
    END IF;
    IF sch ? 'multipleOf' AND (sch ->> 'multipleOf')::numeric <> 0 AND num % (sch ->> 'multipleOf')::numeric <> 0 THEN
      errs := errs || format('%s: %s is not a multiple of %s', p, num, sch ->> 'multipleOf');
    END IF;
  END IF;

  RETURN errs;
END
$fn$;

CREATE FUNCTION @extschema@.jsonschema_validation_errors(schema json, instance json) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN @extschema@._standin_jsonschema_errors(schema::jsonb, instance::jsonb, '', schema::jsonb);

CREATE FUNCTION @extschema@.json_matches_schema(schema json, instance json) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN cardinality(@extschema@._standin_jsonschema_errors(schema::jsonb, instance::jsonb, '', schema::jsonb)) = 0;

CREATE FUNCTION @extschema@.jsonb_matches_schema(schema json, instance jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN cardinality(@extschema@._standin_jsonschema_errors(schema::jsonb, instance, '', schema::jsonb)) = 0;

-- A schema is "valid" when it is a boolean or an object whose known keywords have the right shapes.
CREATE FUNCTION @extschema@.jsonschema_is_valid(schema json) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog AS $fn$
DECLARE
  s jsonb := schema::jsonb;
  known constant text[] := ARRAY['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
  t text;
BEGIN
  IF jsonb_typeof(s) = 'boolean' THEN
    RETURN true;
  END IF;
  IF jsonb_typeof(s) <> 'object' THEN
    RETURN false;
  END IF;
  IF s ? 'type' THEN
    IF jsonb_typeof(s -> 'type') = 'string' THEN
      IF NOT (s ->> 'type') = ANY (known) THEN
        RETURN false;
      END IF;
    ELSIF jsonb_typeof(s -> 'type') = 'array' THEN
      FOR t IN SELECT jsonb_array_elements_text(s -> 'type') LOOP
        IF NOT t = ANY (known) THEN
          RETURN false;
        END IF;
      END LOOP;
    ELSE
      RETURN false;
    END IF;
  END IF;
  IF s ? 'required' AND (jsonb_typeof(s -> 'required') <> 'array'
      OR EXISTS (SELECT 1 FROM jsonb_array_elements(s -> 'required') e WHERE jsonb_typeof(e) <> 'string')) THEN
    RETURN false;
  END IF;
  IF s ? 'properties' AND jsonb_typeof(s -> 'properties') <> 'object' THEN
    RETURN false;
  END IF;
  IF s ? 'properties' AND EXISTS (
      SELECT 1 FROM jsonb_each(s -> 'properties') p
       WHERE NOT @extschema@.jsonschema_is_valid(p.value::json)) THEN
    RETURN false;
  END IF;
  IF s ? 'items' AND jsonb_typeof(s -> 'items') NOT IN ('object', 'boolean', 'array') THEN
    RETURN false;
  END IF;
  IF s ? 'enum' AND jsonb_typeof(s -> 'enum') <> 'array' THEN
    RETURN false;
  END IF;
  FOREACH t IN ARRAY ARRAY['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] LOOP
    IF s ? t AND (jsonb_typeof(s -> t) <> 'number' OR (s ->> t)::numeric < 0) THEN
      RETURN false;
    END IF;
  END LOOP;
  FOREACH t IN ARRAY ARRAY['allOf', 'anyOf', 'oneOf'] LOOP
    IF s ? t AND (jsonb_typeof(s -> t) <> 'array' OR jsonb_array_length(s -> t) = 0) THEN
      RETURN false;
    END IF;
  END LOOP;
  RETURN true;
END
$fn$;
