-- This session's identity, recorded in a deployment row so a later run can tell it is gone.
select pg_backend_pid() as backend_pid, backend_start::text as backend_start, now()::text as now
from pg_stat_activity where pid = pg_backend_pid()
