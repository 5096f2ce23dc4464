-- Rebuilding an enum (a label goes) and a function (its result type changes) means dropping
-- them: the function that takes the enum, the view that names a label and the view that
-- calls the function are dropped first and created again, though they do not change.
create type public.status as enum ('new', 'open', 'closed', 'archived');
create table public.tickets (id int primary key, status public.status default 'new', amount numeric);
create function public.is_open(s public.status) returns boolean language sql immutable as $$ select s = 'open' $$;
create function public.fee(val numeric) returns numeric language sql as $$ select val * 0.1 $$;
create view public.ticket_fees as select id, public.fee(amount) as fee from public.tickets;
create view public.first_status as select 'new'::public.status as status;
