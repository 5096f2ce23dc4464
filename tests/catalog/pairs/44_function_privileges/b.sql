create function public.do_admin() returns void language sql as $$ select $$;
revoke execute on function public.do_admin() from public;
grant execute on function public.do_admin() to service_role;
create function public.open_fn() returns int language sql as $$ select 1 $$;
grant execute on function public.open_fn() to anon, authenticated;
