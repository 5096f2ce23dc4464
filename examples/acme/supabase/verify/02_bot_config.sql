-- The schema guard and the feature-flag runbook depend on these bot_config rows.
do $$
declare
  env text;
  v jsonb;
begin
  foreach env in array array['staging', 'production'] loop
    select config_value into v
      from public.bot_config
     where config_key = 'schema_version' and environment = env;

    if v is null then
      raise exception 'verify 02_bot_config: no schema_version row for environment %', env;
    end if;
    if coalesce(v ->> 'version', '') !~ '^[0-9]+\.[0-9]+\.[0-9]+$' then
      raise exception 'verify 02_bot_config: schema_version for % is not MAJOR.MINOR.PATCH: %', env, v ->> 'version';
    end if;
    if v ->> 'migration' is null then
      raise exception 'verify 02_bot_config: schema_version for % does not name its migration', env;
    end if;

    select config_value into v
      from public.bot_config
     where config_key = 'feature_flags' and environment = env;

    if v is null then
      raise exception 'verify 02_bot_config: no feature_flags row for environment %', env;
    end if;
    if jsonb_typeof(v) <> 'object' then
      raise exception 'verify 02_bot_config: feature_flags for % is not a JSON object', env;
    end if;
    if jsonb_typeof(v -> 'autonomous_posting') is distinct from 'boolean' then
      raise exception 'verify 02_bot_config: feature_flags for % lacks the boolean flag autonomous_posting', env;
    end if;
    if exists (select 1 from jsonb_each(v) f where jsonb_typeof(f.value) <> 'boolean') then
      raise exception 'verify 02_bot_config: feature_flags for % has non-boolean values', env;
    end if;
  end loop;
end
$$;
