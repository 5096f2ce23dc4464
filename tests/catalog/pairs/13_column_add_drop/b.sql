create table public.items (id int primary key, sku text not null, price numeric(10, 2) not null default 0, note text);
