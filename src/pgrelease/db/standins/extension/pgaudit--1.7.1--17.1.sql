-- pgrelease stand-in for shadow replays, NOT the real pgaudit extension: 1.7.1 -> 17.1.
--
-- pgaudit's versions follow the server's major from 16 on; Supabase's PostgreSQL 17 image
-- installs 17.1 (nix/ext/versions.json). The SQL objects are the same.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION pgaudit UPDATE TO '17.1'" to load this file. \quit
