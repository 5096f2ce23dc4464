-- what the extensions report must be what a hosted project reports
do $$
begin
  if (select extnamespace::regnamespace::text from pg_extension where extname = 'pg_cron') <> 'pg_catalog' then
    raise exception 'pg_cron is not in pg_catalog';
  end if;
  if (select extversion from pg_extension where extname = 'pgmq') <> '1.5.1'
     or (select extversion from pg_extension where extname = 'pg_net') <> '0.19.5'
     or (select extversion from pg_extension where extname = 'pg_jsonschema') <> '0.3.1' then
    raise exception 'unexpected extension versions';
  end if;
end
$$;
