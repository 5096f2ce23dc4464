create extension pg_trgm;
create table public.users (id int primary key, email text);
create index users_email_trgm on public.users using gin (email public.gin_trgm_ops);
