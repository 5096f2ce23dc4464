create table public.products (id int primary key, price numeric, stock int,
  constraint price_positive check (price > 0),
  constraint stock_check check (stock >= 0));
