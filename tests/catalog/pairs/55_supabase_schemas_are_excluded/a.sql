create schema auth;
create function auth.uid() returns uuid language sql stable as $$ select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
create table auth.users (id uuid primary key, email text);

create schema storage;
create table storage.buckets (id text primary key);
create schema extensions;
create extension pg_trgm schema extensions;
create table public.docs (id int primary key);
