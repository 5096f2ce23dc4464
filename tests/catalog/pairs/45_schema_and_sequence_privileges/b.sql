create schema api;
grant usage on schema api to anon, authenticated;
grant create on schema api to service_role;
create sequence public.counter;
grant usage, select on sequence public.counter to authenticated;
