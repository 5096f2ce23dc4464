-- Domains and functions depend on each other both ways: a function takes or returns a
-- domain, a domain's CHECK calls a function, a domain is over another domain. A domain
-- whose base type changes is re-created, and the function that takes it with it.
create domain public.amount as numeric(10, 2);
create function public.twice(val public.amount) returns public.amount language sql immutable
  as $$ select (val * 2)::public.amount $$;
create schema money;
create function money.is_finite(val numeric) returns boolean language plpgsql immutable
  as $$ begin return val is not null and val <> 'NaN'::numeric; end $$;
create domain money.finite as numeric constraint finite_check check (money.is_finite(value));
create table public.ledger (id int primary key, total money.finite);
