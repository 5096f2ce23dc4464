-- Functions that depend on each other (SQL-standard bodies record what they call and read),
-- a function whose result is a table's row type, and a view calling a function that reads
-- a view: each must be created after, and dropped before, what it uses.
create schema lib;
create function lib.add(a int, b int) returns int language sql immutable return a + b;
create function public."increment func"(i int) returns int language plpgsql as $$ begin return i + 1; end $$;
create function public.total(a int, b int) returns int language sql immutable
  return lib.add(a, b) + public."increment func"(a);
create table public.items (id int primary key, price numeric);
create function public.cheap_items() returns setof public.items language sql stable
  as $$ select * from public.items where price < 10 $$;
create view public.item_prices as select id, price from public.items;
create function public.max_price() returns numeric language sql stable
  begin atomic select max(price) from public.item_prices; end;
create view public.price_summary as select public.max_price() as top;
