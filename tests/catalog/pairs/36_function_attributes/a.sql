create function public.is_admin(uid uuid) returns boolean language sql stable as $$ select false $$;
create function public.slugify(t text) returns text language sql as $$ select lower(t) $$;
create function public.safe_div(a numeric, b numeric) returns numeric language sql as $$ select a / nullif(b, 0) $$;
