-- Who holds pgrelease's advisory lock (for the "lock not acquired" message).
select a.pid, a.usename, a.application_name, host(a.client_addr) as client_addr,
       a.backend_start, a.state, now() - a.xact_start as xact_age
from pg_locks l
join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory' and l.granted
  and l.classid = %(classid)s and l.objid = %(objid)s and l.objsubid = 2
  and l.database = (select oid from pg_database where datname = current_database())
limit 1
