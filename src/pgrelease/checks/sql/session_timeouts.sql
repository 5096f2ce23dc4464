-- Session time limits for the checks (values as PostgreSQL accepts them: '5s', '0' = off).
select set_config('statement_timeout', %(statement_timeout)s::text, false),
       set_config('lock_timeout', %(lock_timeout)s::text, false)
