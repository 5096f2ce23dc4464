create function public.do_admin() returns void language sql as $$ select $$;
create function public.open_fn() returns int language sql as $$ select 1 $$;
revoke execute on function public.open_fn() from public;
