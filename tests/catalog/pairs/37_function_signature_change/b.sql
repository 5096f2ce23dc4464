create function public.total(a int, b int) returns bigint language sql as $$ select (a + b)::bigint $$;
create function public.page(lim int default 20) returns setof int language sql as $$ select generate_series(1, lim) $$;
create function public.total(a int, b int, c int) returns int language sql as $$ select a + b + c $$;
