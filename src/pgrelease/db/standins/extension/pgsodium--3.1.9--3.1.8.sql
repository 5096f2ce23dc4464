-- pgrelease stand-in for shadow replays, NOT the real pgsodium extension: 3.1.9 -> 3.1.8.
--
-- Supabase's image installs pgsodium 3.1.8 (supabase/postgres nix/ext/versions.json, the default_version
-- its Nix build writes; see db/supabase_extensions.json). The stand-in's SQL interface is the one
-- of its 3.1.9 script; this path only makes `create extension pgsodium` report extversion '3.1.8' as a
-- hosted project does, while VERSION '3.1.9' keeps working.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pgsodium UPDATE TO '3.1.8'" to load this file. \quit
