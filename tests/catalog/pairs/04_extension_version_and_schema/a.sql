create schema ext;
create extension pg_trgm version '1.5';
create extension hstore;
