create unlogged table public.cache (k text primary key, v text);
create table public.big (id int primary key) with (fillfactor = 70, autovacuum_enabled = false);
