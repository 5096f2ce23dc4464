create table public.names (id int primary key, name text, code text collate "C");
