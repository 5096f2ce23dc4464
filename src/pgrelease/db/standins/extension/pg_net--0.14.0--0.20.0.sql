-- pgrelease stand-in for shadow replays, NOT the real pg_net extension: 0.14.0 -> 0.20.0.
--
-- Supabase's image installs pg_net 0.20.0 (supabase/postgres nix/ext/versions.json, the default_version
-- its Nix build writes; see db/supabase_extensions.json). The stand-in's SQL interface is the one
-- of its 0.14.0 script; this path only makes `create extension pg_net` report extversion '0.20.0' as a
-- hosted project does, while VERSION '0.14.0' keeps working.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pg_net UPDATE TO '0.20.0'" to load this file. \quit
