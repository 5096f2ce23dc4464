-- Enable required extensions first
-- (as argus-sight/refund-swatter-lite supabase/migrations/00000000000000_enable_extensions.sql
-- writes it: hosted Supabase puts pg_cron in pg_catalog whatever schema is named here)
CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pg_net WITH SCHEMA extensions VERSION '0.14.0';

GRANT USAGE ON SCHEMA cron TO postgres;
GRANT ALL ON ALL TABLES IN SCHEMA cron TO postgres;
