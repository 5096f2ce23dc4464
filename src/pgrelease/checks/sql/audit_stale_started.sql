-- Deployment rows still 'started' whose session is gone (killed, crashed, lost connection):
-- no backend with the recorded pid and start time exists any more.
select to_jsonb(t) ->> 'id' as id
from {table} t
where t.action = 'deployment'
  and t.details ->> 'status' = 'started'
  and not exists (
    select 1 from pg_stat_activity a
    where a.pid = nullif(t.details ->> 'backend_pid', '')::int
      and a.backend_start = nullif(t.details ->> 'backend_start', '')::timestamptz)
