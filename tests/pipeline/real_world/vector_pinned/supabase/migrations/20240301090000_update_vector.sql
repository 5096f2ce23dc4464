alter extension vector update to '0.8.0';
do $$
begin
  if (select extversion from pg_extension where extname = 'vector') <> '0.8.0' then
    raise exception 'vector is not 0.8.0 as on hosted Supabase';
  end if;
end
$$;
