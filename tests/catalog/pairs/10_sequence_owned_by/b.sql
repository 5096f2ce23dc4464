create sequence public.ref_seq;
create table public.orders (id serial primary key, ref int default nextval('public.ref_seq'));
alter sequence public.ref_seq owned by public.orders.ref;
