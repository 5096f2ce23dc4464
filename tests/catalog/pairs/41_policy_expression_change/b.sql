create table public.notes (id int primary key, owner_id uuid, shared boolean default false);
alter table public.notes enable row level security;
create policy "owners read" on public.notes for select to authenticated using (owner_id = '00000000-0000-0000-0000-000000000000'::uuid or shared);
create policy "owners write" on public.notes for insert to authenticated, service_role with check (owner_id is not null and not shared);
create policy "anyone" on public.notes for select to anon, authenticated using (shared);
