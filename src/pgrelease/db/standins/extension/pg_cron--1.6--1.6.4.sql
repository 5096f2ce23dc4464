-- pgrelease stand-in for shadow replays, NOT the real pg_cron extension: 1.6 -> 1.6.4.
--
-- Supabase's image installs pg_cron 1.6.4 (supabase/postgres nix/ext/versions.json, the default_version
-- its Nix build writes; see db/supabase_extensions.json). The stand-in's SQL interface is the one
-- of its 1.6 script; this path only makes `create extension pg_cron` report extversion '1.6.4' as a
-- hosted project does, while VERSION '1.6' keeps working.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pg_cron UPDATE TO '1.6.4'" to load this file. \quit
