-- Sign-up must create a profile, and the function doing it must be safe to run as definer.
do $$
declare
  fn record;
begin
  if not exists (
    select 1 from pg_catalog.pg_trigger t
     where t.tgrelid = 'auth.users'::regclass
       and t.tgname = 'on_auth_user_created'
       and not t.tgisinternal
       and t.tgenabled <> 'D'
  ) then
    raise exception 'verify 03_auth_hooks: trigger on_auth_user_created on auth.users is missing or disabled';
  end if;

  select p.prosecdef, p.proconfig into fn
    from pg_catalog.pg_proc p
   where p.oid = 'public.handle_new_user()'::regprocedure;

  if not fn.prosecdef then
    raise exception 'verify 03_auth_hooks: public.handle_new_user() must be security definer';
  end if;
  if fn.proconfig is null or not exists (select 1 from unnest(fn.proconfig) c where c like 'search_path=%') then
    raise exception 'verify 03_auth_hooks: public.handle_new_user() is security definer without a fixed search_path'
      using hint = 'add "set search_path = ''''" to the function';
  end if;

  if not exists (
    select 1 from pg_catalog.pg_publication_tables
     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'posts'
  ) then
    raise exception 'verify 03_auth_hooks: public.posts is not in the supabase_realtime publication';
  end if;
end
$$;
