-- Columns of a table named through search_path (e.g. 'bot_config'); no rows when the
-- table does not exist. has_default covers DEFAULT, identity and generated columns.
select a.attname::text as name,
       format_type(a.atttypid, a.atttypmod) as type,
       a.attnotnull as not_null,
       (a.atthasdef or a.attidentity <> '' or a.attgenerated <> '') as has_default
from pg_attribute a
where a.attrelid = to_regclass(%(table)s::text)
  and a.attnum > 0
  and not a.attisdropped
order by a.attnum
