create table public.documents (id int primary key, owner_id uuid, visibility text);
alter table public.documents enable row level security;
create policy "owners read" on public.documents for select to authenticated
  using (owner_id::text = current_user and visibility <> 'hidden');
