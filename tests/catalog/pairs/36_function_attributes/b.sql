create function public.is_admin(uid uuid) returns boolean language sql stable security definer set search_path = '' as $$ select false $$;
create function public.slugify(t text) returns text language sql immutable strict parallel safe as $$ select lower(t) $$;
create function public.safe_div(a numeric, b numeric) returns numeric language sql leakproof set search_path = public, pg_temp as $$ select a / nullif(b, 0) $$;
