create table public.t (id int primary key, name text, constraint name_len check (length(name) < 50));
create index t_name_idx on public.t (name);
create function public.f() returns int language sql as $$ select 1 $$;
alter table public.t enable row level security;
create policy p on public.t using (true);
comment on table public.t is 'old table comment';
comment on column public.t.name is 'the name';
comment on schema public is 'standard public schema';
comment on constraint name_len on public.t is 'keep it short';
