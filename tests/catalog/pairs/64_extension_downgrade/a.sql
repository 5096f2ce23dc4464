-- Extensions have no downgrade scripts: going back to an older version re-creates the
-- extension at that version.
create extension pg_trgm version '1.4';
create extension citext version '1.5';
