create table public.files (id int primary key, owner text);
alter table public.files enable row level security;
create policy files_access on public.files for all using (true) with check (owner = current_user);
create policy files_block on public.files as restrictive for all using (owner is not null);
create policy files_update on public.files for update to authenticated using (owner = current_user);
