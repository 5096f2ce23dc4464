create table public.files (id int primary key, owner text);
alter table public.files enable row level security;
create policy files_access on public.files for select using (true);
create policy files_block on public.files as permissive for all using (owner is not null);
create policy files_old on public.files for delete using (false);
