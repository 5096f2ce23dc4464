create schema api;
alter default privileges in schema public grant select on tables to anon;
