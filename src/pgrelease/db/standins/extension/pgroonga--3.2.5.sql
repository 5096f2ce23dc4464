-- pgrelease stand-in for shadow replays, NOT the real PGroonga extension.
--
-- PGroonga (pgroonga.github.io) is a full text search index access method; Supabase's docs:
-- `create extension pgroonga with schema extensions; create index ix on t using pgroonga (col);`
-- then `where col &@~ 'query'`. Supabase ships 3.2.5 (nix/ext/versions.json).
--
--   real:   the index access method pgroonga with default operator classes for text, text[],
--           varchar and jsonb (pgroonga_*_full_text_search_ops_v2, pgroonga_jsonb_ops_v2), so
--           `create index ... using pgroonga (col)` replays; the search operators &@ (match a
--           keyword), &@~ (match a query: words ANDed, OR, -word), &@| (any of an array of
--           keywords), &^ (prefix), &~ (regular expression), &= (equal), with case-insensitive
--           matching as PGroonga's NormalizerAuto does; pgroonga_score, pgroonga_snippet_html,
--           pgroonga_highlight_html, pgroonga_query_extract_keywords, pgroonga_normalize,
--           pgroonga_command (returns an empty Groonga answer).
--   ABSENT: Groonga itself: the index is a BRIN min/max index under PGroonga's name (BRIN, not
--           b-tree: PostgreSQL 15 sorts a b-tree build only for the btree access method itself;
--           index options such as WITH (tokenizer = '...', normalizers = '...') are refused);
--           scores are 0 or 1; tokenizers and languages.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pgroonga" to load this file. \quit

CREATE FUNCTION @extschema@.pgroonga_handler(internal) RETURNS index_am_handler LANGUAGE internal AS 'brinhandler';
CREATE ACCESS METHOD pgroonga TYPE INDEX HANDLER @extschema@.pgroonga_handler;

CREATE OPERATOR CLASS @extschema@.pgroonga_text_full_text_search_ops_v2 DEFAULT FOR TYPE text USING pgroonga AS
  OPERATOR 1 pg_catalog.< (text, text), OPERATOR 2 pg_catalog.<= (text, text), OPERATOR 3 pg_catalog.= (text, text),
  OPERATOR 4 pg_catalog.>= (text, text), OPERATOR 5 pg_catalog.> (text, text),
  FUNCTION 1 pg_catalog.brin_minmax_opcinfo(internal), FUNCTION 2 pg_catalog.brin_minmax_add_value(internal, internal, internal, internal),
  FUNCTION 3 pg_catalog.brin_minmax_consistent(internal, internal, internal), FUNCTION 4 pg_catalog.brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS @extschema@.pgroonga_text_array_full_text_search_ops_v2 DEFAULT FOR TYPE text[] USING pgroonga AS
  OPERATOR 1 pg_catalog.< (anyarray, anyarray), OPERATOR 2 pg_catalog.<= (anyarray, anyarray),
  OPERATOR 3 pg_catalog.= (anyarray, anyarray), OPERATOR 4 pg_catalog.>= (anyarray, anyarray),
  OPERATOR 5 pg_catalog.> (anyarray, anyarray), FUNCTION 1 pg_catalog.brin_minmax_opcinfo(internal), FUNCTION 2 pg_catalog.brin_minmax_add_value(internal, internal, internal, internal),
  FUNCTION 3 pg_catalog.brin_minmax_consistent(internal, internal, internal), FUNCTION 4 pg_catalog.brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS @extschema@.pgroonga_varchar_full_text_search_ops_v2 DEFAULT FOR TYPE varchar USING pgroonga AS
  OPERATOR 1 pg_catalog.< (text, text), OPERATOR 2 pg_catalog.<= (text, text), OPERATOR 3 pg_catalog.= (text, text),
  OPERATOR 4 pg_catalog.>= (text, text), OPERATOR 5 pg_catalog.> (text, text),
  FUNCTION 1 pg_catalog.brin_minmax_opcinfo(internal), FUNCTION 2 pg_catalog.brin_minmax_add_value(internal, internal, internal, internal),
  FUNCTION 3 pg_catalog.brin_minmax_consistent(internal, internal, internal), FUNCTION 4 pg_catalog.brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS @extschema@.pgroonga_jsonb_ops_v2 DEFAULT FOR TYPE jsonb USING pgroonga AS
  OPERATOR 1 pg_catalog.< (jsonb, jsonb), OPERATOR 2 pg_catalog.<= (jsonb, jsonb), OPERATOR 3 pg_catalog.= (jsonb, jsonb),
  OPERATOR 4 pg_catalog.>= (jsonb, jsonb), OPERATOR 5 pg_catalog.> (jsonb, jsonb),
  FUNCTION 1 pg_catalog.brin_minmax_opcinfo(internal), FUNCTION 2 pg_catalog.brin_minmax_add_value(internal, internal, internal, internal),
  FUNCTION 3 pg_catalog.brin_minmax_consistent(internal, internal, internal), FUNCTION 4 pg_catalog.brin_minmax_union(internal, internal, internal);

CREATE FUNCTION @extschema@.pgroonga_normalize(target text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT pg_catalog.lower(target) $fn$;

CREATE FUNCTION @extschema@.pgroonga_match_term(target text, term text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT pg_catalog.strpos(pg_catalog.lower(target), pg_catalog.lower(term)) > 0 $fn$;

-- a query: words are ANDed, OR between two words, -word excludes, "quoted phrases" are one word
CREATE FUNCTION @extschema@.pgroonga_match_query(target text, query text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
  alternatives text[];
  alternative text;
  word text;
  ok boolean;
BEGIN
  alternatives := pg_catalog.regexp_split_to_array(query, '\s+OR\s+');
  FOREACH alternative IN ARRAY alternatives LOOP
    ok := true;
    FOR word IN SELECT (pg_catalog.regexp_matches(alternative, '(-?"[^"]*"|\S+)', 'g'))[1] LOOP
      IF left(word, 1) = '-' THEN
        IF @extschema@.pgroonga_match_term(target, pg_catalog.btrim(substr(word, 2), '"')) THEN ok := false; END IF;
      ELSIF NOT @extschema@.pgroonga_match_term(target, pg_catalog.btrim(word, '"')) THEN
        ok := false;
      END IF;
    END LOOP;
    IF ok THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END;
$fn$;

CREATE FUNCTION @extschema@.pgroonga_match_any(target text, keywords text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT EXISTS (SELECT 1 FROM pg_catalog.unnest(keywords) k WHERE @extschema@.pgroonga_match_term(target, k)) $fn$;
CREATE FUNCTION @extschema@.pgroonga_match_array(target text[], term text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT EXISTS (SELECT 1 FROM pg_catalog.unnest(target) t WHERE @extschema@.pgroonga_match_term(t, term)) $fn$;
CREATE FUNCTION @extschema@.pgroonga_query_array(target text[], query text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT EXISTS (SELECT 1 FROM pg_catalog.unnest(target) t WHERE @extschema@.pgroonga_match_query(t, query)) $fn$;
CREATE FUNCTION @extschema@.pgroonga_prefix(target text, prefix text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT pg_catalog.starts_with(pg_catalog.lower(target), pg_catalog.lower(prefix)) $fn$;
CREATE FUNCTION @extschema@.pgroonga_regexp(target text, pattern text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT target ~* pattern $fn$;
CREATE FUNCTION @extschema@.pgroonga_equal(target text, other text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT pg_catalog.lower(target) = pg_catalog.lower(other) $fn$;
CREATE FUNCTION @extschema@.pgroonga_match_jsonb(target jsonb, term text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT @extschema@.pgroonga_match_term(target::text, term) $fn$;
CREATE FUNCTION @extschema@.pgroonga_query_jsonb(target jsonb, query text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT @extschema@.pgroonga_match_query(target::text, query) $fn$;

CREATE OPERATOR @extschema@.&@ (LEFTARG = text, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_match_term);
CREATE OPERATOR @extschema@.&@~ (LEFTARG = text, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_match_query);
CREATE OPERATOR @extschema@.&@| (LEFTARG = text, RIGHTARG = text[], FUNCTION = @extschema@.pgroonga_match_any);
CREATE OPERATOR @extschema@.&@ (LEFTARG = text[], RIGHTARG = text, FUNCTION = @extschema@.pgroonga_match_array);
CREATE OPERATOR @extschema@.&@~ (LEFTARG = text[], RIGHTARG = text, FUNCTION = @extschema@.pgroonga_query_array);
CREATE OPERATOR @extschema@.&@ (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_match_jsonb);
CREATE OPERATOR @extschema@.&@~ (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_query_jsonb);
CREATE OPERATOR @extschema@.&^ (LEFTARG = text, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_prefix);
CREATE OPERATOR @extschema@.&~ (LEFTARG = text, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_regexp);
CREATE OPERATOR @extschema@.&= (LEFTARG = text, RIGHTARG = text, FUNCTION = @extschema@.pgroonga_equal);

CREATE FUNCTION @extschema@.pgroonga_score("row" record) RETURNS double precision LANGUAGE plpgsql STABLE AS
$fn$ BEGIN RETURN 0; END $fn$;
CREATE FUNCTION @extschema@.pgroonga_score(tableoid oid, ctid tid) RETURNS double precision LANGUAGE sql STABLE AS
$fn$ SELECT 0::double precision $fn$;
CREATE FUNCTION @extschema@.pgroonga_query_extract_keywords(query text, index_name text DEFAULT '') RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT coalesce(pg_catalog.array_agg(pg_catalog.btrim(w[1], '"')), '{}')
    FROM pg_catalog.regexp_matches(query, '(?:^|\s)("[^"]*"|[^\s"-]\S*)', 'g') w
   WHERE w[1] <> 'OR'
$fn$;
CREATE FUNCTION @extschema@.pgroonga_highlight_html(target text, keywords text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
  k text;
  html text := replace(replace(replace(target, '&', '&amp;'), '<', '&lt;'), '>', '&gt;');
BEGIN
  FOREACH k IN ARRAY keywords LOOP
    html := pg_catalog.regexp_replace(html, '(' || pg_catalog.regexp_replace(k, '([.^$*+?()\[\]{}|\\])', '\\\1', 'g') || ')',
                                      '<span class="keyword">\1</span>', 'gi');
  END LOOP;
  RETURN html;
END;
$fn$;
CREATE FUNCTION @extschema@.pgroonga_snippet_html(target text, keywords text[], width integer DEFAULT 200)
RETURNS text[] LANGUAGE sql IMMUTABLE STRICT AS
$fn$ SELECT ARRAY[@extschema@.pgroonga_highlight_html(left(target, width), keywords)] $fn$;
CREATE FUNCTION @extschema@.pgroonga_command(groonga_command text) RETURNS text LANGUAGE sql VOLATILE STRICT AS
$fn$ SELECT '[[0,0.0,0.0],true]'::text $fn$;
CREATE FUNCTION @extschema@.pgroonga_command(groonga_command text, arguments text[]) RETURNS text
LANGUAGE sql VOLATILE STRICT AS $fn$ SELECT '[[0,0.0,0.0],true]'::text $fn$;
