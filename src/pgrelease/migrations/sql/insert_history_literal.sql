insert into supabase_migrations.schema_migrations (version, name, statements) values ({version}, {name}, {statements})
