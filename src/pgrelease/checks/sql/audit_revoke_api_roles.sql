-- The API roles of a Supabase project may not write the audit trail (skipped where they do not exist).
do $$
declare r text;
begin
  foreach r in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = r) then
      execute format('revoke insert, update, delete, truncate on %s from %I', {table_text}, r);
    end if;
  end loop;
end $$
