-- A new hosted Supabase project has no schema supabase_functions: Supabase creates it (with
-- supabase_functions.hooks, .migrations and .http_request()) when Database Webhooks are enabled.
-- The shadow drops the baseline's copy when the migrations create the schema themselves, so that
-- they replay as on a project that never enabled webhooks. The role supabase_functions_admin stays
-- (the supabase/postgres image creates it on every project).
DROP SCHEMA IF EXISTS supabase_functions CASCADE;
