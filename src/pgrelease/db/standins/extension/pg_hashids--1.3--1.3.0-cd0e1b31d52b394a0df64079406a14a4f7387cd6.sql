-- pgrelease stand-in for shadow replays, NOT the real pg_hashids extension: 1.3 -> 1.3.0-cd0e1b31d52b394a0df64079406a14a4f7387cd6.
--
-- Supabase builds pg_hashids from commit cd0e1b31 and names that version '1.3.0-cd0e1b31d52b394a0df64079406a14a4f7387cd6'
-- (supabase/postgres nix/ext/versions.json and nix/ext/pg_hashids.nix copy pg_hashids--1.3.sql to it);
-- the SQL interface is 1.3's.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pg_hashids UPDATE" to load this file. \quit
