create function public.total(a int, b int) returns int language sql as $$ select a + b $$;
create function public.page(lim int default 10) returns setof int language sql as $$ select generate_series(1, lim) $$;
create function public.old_helper() returns void language sql as $$ select $$;
