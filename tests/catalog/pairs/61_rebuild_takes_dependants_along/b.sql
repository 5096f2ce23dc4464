create type public.status as enum ('new', 'open', 'closed');
create table public.tickets (id int primary key, status public.status default 'new', amount numeric);
create function public.is_open(s public.status) returns boolean language sql immutable as $$ select s = 'open' $$;
create function public.fee(val numeric) returns text language sql as $$ select (val * 0.1)::text $$;
create view public.ticket_fees as select id, public.fee(amount) as fee from public.tickets;
create view public.first_status as select 'new'::public.status as status;
