-- The schema_version row(s) of bot_config. to_jsonb(b) reads "environment" without failing
-- when the table has no such column (it is then NULL).
select b.ctid::text as row_id,
       to_jsonb(b) ->> 'environment' as environment,
       b.config_value
from bot_config b
where b.config_key = 'schema_version'
order by 2 nulls first
