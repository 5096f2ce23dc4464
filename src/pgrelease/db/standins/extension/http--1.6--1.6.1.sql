-- pgrelease stand-in for shadow replays, NOT the real http extension: 1.6 -> 1.6.1.
--
-- Supabase's image installs http 1.6.1 (supabase/postgres nix/ext/versions.json, the default_version
-- its Nix build writes; see db/supabase_extensions.json). The stand-in's SQL interface is the one
-- of its 1.6 script; this path only makes `create extension http` report extversion '1.6.1' as a
-- hosted project does, while VERSION '1.6' keeps working.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION http UPDATE TO '1.6.1'" to load this file. \quit
