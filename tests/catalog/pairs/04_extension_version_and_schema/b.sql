create schema ext;
create extension pg_trgm version '1.6';
create extension hstore schema ext;
