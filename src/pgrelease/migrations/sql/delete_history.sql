delete from supabase_migrations.schema_migrations where version = %(version)s
