-- Client connections in use against max_connections (slots reserved for superusers and
-- replication are reported apart).
select (select count(*) from pg_stat_activity where backend_type = 'client backend')::int as used,
       current_setting('max_connections')::int as max_connections,
       current_setting('superuser_reserved_connections')::int as reserved
