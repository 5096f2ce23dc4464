create table public.orders (id serial primary key, ref int);
create sequence public.ref_seq;
