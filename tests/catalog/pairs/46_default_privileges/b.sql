create schema api;
alter default privileges in schema public grant select, insert on tables to anon;
alter default privileges in schema public grant all on tables to authenticated;
alter default privileges in schema api grant usage, select on sequences to authenticated;
alter default privileges revoke execute on functions from public;
alter default privileges grant execute on functions to service_role;
