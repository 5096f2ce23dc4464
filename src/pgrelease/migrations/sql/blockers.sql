-- The sessions blocking a backend (pg_blocking_pids), with what a person needs to decide
-- whether to wait or to end them; idle_seconds: how long a session idle in transaction has
-- been idle (null when it is running a query).
select a.pid, a.usename, a.application_name, host(a.client_addr) as client, a.state,
       extract(epoch from now() - coalesce(a.xact_start, a.query_start))::int as xact_seconds,
       left(regexp_replace(a.query, '\s+', ' ', 'g'), 100) as query,
       case when a.state like 'idle in transaction%%'
            then extract(epoch from now() - a.state_change)::float8 end as idle_seconds
from pg_stat_activity a
where a.pid = any(pg_blocking_pids(%(pid)s))
order by a.xact_start nulls last
