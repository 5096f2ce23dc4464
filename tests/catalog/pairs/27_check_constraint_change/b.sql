create table public.products (id int primary key, price numeric, stock int,
  constraint price_positive check (price >= 0.01),
  constraint price_cap check (price < 100000));
