create table public.orders (id int primary key, total numeric, status text);
create view public.open_orders as select id, total, status from public.orders where status in ('open', 'pending');
create view public.open_totals as select sum(total) as total from public.open_orders;
create view public.new_view as select id, status from public.orders;
