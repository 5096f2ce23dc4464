create domain public.amount as numeric(20, 4);
create function public.twice(val public.amount) returns public.amount language sql immutable
  as $$ select (val * 2)::public.amount $$;
create schema money;
create function money.is_positive(val numeric) returns boolean language plpgsql immutable
  as $$ begin return val > 0; end $$;
create domain money.z_base as numeric(12, 2) constraint base_check check (money.is_positive(value));
create domain money.a_derived as money.z_base constraint derived_check check (value < 1000000);
create function money.cap(val money.a_derived) returns money.a_derived language sql immutable as $$ select val $$;
create table public.ledger (id int primary key, total money.a_derived);
