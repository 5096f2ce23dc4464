-- pgrelease stand-in for shadow replays, NOT the real wrappers extension: 0.5.5 -> 0.6.0.
--
-- Supabase's image installs wrappers 0.6.0 (supabase/postgres nix/ext/versions.json, the default_version
-- its Nix build writes; see db/supabase_extensions.json). The stand-in's SQL interface is the one
-- of its 0.5.5 script; this path only makes `create extension wrappers` report extversion '0.6.0' as a
-- hosted project does, while VERSION '0.5.5' keeps working.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION wrappers UPDATE TO '0.6.0'" to load this file. \quit
