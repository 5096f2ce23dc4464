-- Smoke checks: cheap, read-only, safe to run against production at any time.
-- Each check raises with a clear message when something basic is broken.

do $$
begin
  -- core tables exist and answer
  perform 1 from public.bot_config limit 1;
  perform 1 from public.profiles limit 1;
  perform 1 from public.posts limit 1;
  perform 1 from public.audit_log limit 1;
exception
  when undefined_table then
    raise exception 'smoke: a core table is missing: %', sqlerrm;
end
$$;

do $$
declare
  v text;
begin
  select config_value ->> 'version' into v
    from public.bot_config
   where config_key = 'schema_version'
   order by environment
   limit 1;
  if v is null then
    raise exception 'smoke: bot_config has no schema_version row';
  end if;

  if not exists (select 1 from public.bot_config where config_key = 'feature_flags') then
    raise exception 'smoke: bot_config has no feature_flags rows';
  end if;

  if not exists (select 1 from storage.buckets where id = 'post-media') then
    raise exception 'smoke: storage bucket post-media is missing';
  end if;

  -- the functions the app calls are there
  perform 'public.publish_post(uuid)'::regprocedure;
  perform 'public.search_posts(text)'::regprocedure;
exception
  when undefined_function then
    raise exception 'smoke: an API function is missing: %', sqlerrm;
end
$$;

select 'smoke ok' as result;
