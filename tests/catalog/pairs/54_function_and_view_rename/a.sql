create table public.t (id int primary key, v int);
create function public.calc_total(x int) returns int language sql immutable as $$ select x * 2 $$;
create view public.t_summary as select count(*) as n from public.t;
