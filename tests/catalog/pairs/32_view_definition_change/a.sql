create table public.orders (id int primary key, total numeric, status text);
create view public.open_orders as select id, total from public.orders where status = 'open';
create view public.open_totals as select sum(total) as total from public.open_orders;
create view public.old_view as select id from public.orders;
