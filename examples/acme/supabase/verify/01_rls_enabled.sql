-- Every table in public is reachable through the API (default privileges grant anon and
-- authenticated access), so every one of them must have row level security enabled.
do $$
declare
  unprotected text;
begin
  select string_agg(format('%I.%I', n.nspname, c.relname), ', ' order by c.relname)
    into unprotected
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public'
     and c.relkind in ('r', 'p')
     and not c.relrowsecurity;

  if unprotected is not null then
    raise exception 'verify 01_rls_enabled: row level security is disabled on %', unprotected
      using hint = 'add "alter table ... enable row level security" (and policies) in a new migration';
  end if;
end
$$;

-- Views in public must not bypass RLS through their owner's rights.
do $$
declare
  definer_views text;
begin
  select string_agg(format('%I.%I', n.nspname, c.relname), ', ' order by c.relname)
    into definer_views
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public'
     and c.relkind = 'v'
     and not coalesce('security_invoker=true' = any (c.reloptions)
                      or 'security_invoker=on' = any (c.reloptions), false);

  if definer_views is not null then
    raise exception 'verify 01_rls_enabled: views without security_invoker: %', definer_views
      using hint = 'create the view "with (security_invoker = true)"';
  end if;
end
$$;
