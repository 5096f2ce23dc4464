create table public.notes (id int primary key, owner uuid);
create table public.secrets (id int primary key);
alter table public.secrets enable row level security;
alter table public.secrets force row level security;
