-- pgrelease stand-in for shadow replays, NOT the real index_advisor extension.
--
-- index_advisor(query text) with the real result columns. FAKED: it plans the query once
-- (EXPLAIN, when the query has no parameters) and reports that cost before and after, with
-- no index suggestion and an explanatory entry in "errors".

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION index_advisor" to load this file. \quit

CREATE FUNCTION index_advisor(query text)
RETURNS TABLE (
  startup_cost_before jsonb,
  startup_cost_after jsonb,
  total_cost_before jsonb,
  total_cost_after jsonb,
  index_statements text[],
  errors text[]
)
LANGUAGE plpgsql VOLATILE AS $fn$  -- no SET search_path: the query resolves names as for the caller
DECLARE
  plan jsonb;
BEGIN
  BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  EXCEPTION WHEN OTHERS THEN
    RETURN QUERY SELECT NULL::jsonb, NULL::jsonb, NULL::jsonb, NULL::jsonb, ARRAY[]::text[],
                        ARRAY[SQLERRM, 'pgrelease stand-in: index_advisor never suggests indexes in shadow replays'];
    RETURN;
  END;
  RETURN QUERY SELECT plan -> 0 -> 'Plan' -> 'Startup Cost', plan -> 0 -> 'Plan' -> 'Startup Cost',
                      plan -> 0 -> 'Plan' -> 'Total Cost', plan -> 0 -> 'Plan' -> 'Total Cost',
                      ARRAY[]::text[],
                      ARRAY['pgrelease stand-in: index_advisor never suggests indexes in shadow replays'];
END
$fn$;
