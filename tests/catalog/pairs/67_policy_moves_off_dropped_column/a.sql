-- A policy that is changed to use a new column instead of one that is dropped: PostgreSQL
-- keeps the column while the old policy uses it, so the policy is re-created around the
-- column change rather than altered after it.
create table public.documents (id int primary key, owner_name text, visibility text);
alter table public.documents enable row level security;
create policy "owners read" on public.documents for select to authenticated
  using (owner_name = current_user and visibility <> 'hidden');
