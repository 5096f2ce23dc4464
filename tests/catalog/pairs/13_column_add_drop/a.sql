create table public.items (id int primary key, sku text not null, legacy_code text);
