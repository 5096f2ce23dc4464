-- End one session blocking a backend if, at this moment, it still blocks it and has been idle
-- in transaction for at least the given seconds (--cancel-blockers-after); no row: it woke up,
-- finished or stopped blocking since it was seen, and is left alone.
select pg_terminate_backend(a.pid)
from pg_stat_activity a
where a.pid = %(blocker)s
  and a.pid = any(pg_blocking_pids(%(pid)s))
  and a.state like 'idle in transaction%%'
  and now() - a.state_change >= make_interval(secs => %(after)s)
