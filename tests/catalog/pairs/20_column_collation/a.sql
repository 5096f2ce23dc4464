create table public.names (id int primary key, name text collate "C", code text);
