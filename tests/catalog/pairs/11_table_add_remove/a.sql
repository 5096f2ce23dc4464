create table public.old_logs (id bigint primary key, line text);
create table public.keep (id int primary key);
