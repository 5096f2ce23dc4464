insert into supabase_migrations.schema_migrations (version, name, statements) values (%(version)s, %(name)s, %(statements)s)
