create table public.items (id int primary key, price numeric);
