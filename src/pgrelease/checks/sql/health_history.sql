-- Newest entry of the Supabase CLI's migration history (versions are digit strings).
select version, name, (select count(*) from supabase_migrations.schema_migrations)::int as total
from supabase_migrations.schema_migrations
order by lpad(version, 40, '0') desc
limit 1
