alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
create table public.profiles (id uuid primary key);
create table public.comments (
  id bigserial primary key,
  profile_id uuid not null references public.profiles (id) on delete cascade,
  body text not null check (char_length(body) <= 1000),
  created_at timestamptz not null default now()
);
create index comments_profile_idx on public.comments (profile_id, created_at desc);
create function public.comments_guard() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger comments_guard before insert on public.comments for each row execute function public.comments_guard();
alter table public.comments enable row level security;
create policy "read comments" on public.comments for select to anon, authenticated using (true);
revoke all on public.comments from anon;
grant select on public.comments to anon;
comment on table public.comments is 'Comments on profiles';
comment on column public.comments.body is 'Markdown';
