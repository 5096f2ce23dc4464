create table public.notes (id int primary key, owner uuid);
alter table public.notes enable row level security;
create table public.secrets (id int primary key);
