-- Does the schema exist?
select exists (select 1 from pg_namespace where nspname = %(schema)s) as present
