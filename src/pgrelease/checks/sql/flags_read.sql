-- feature_flags rows, all environments or one.
select b.environment::text as environment, b.config_value
from bot_config b
where b.config_key = 'feature_flags'
  and (%(environment)s::text is null or b.environment::text = %(environment)s::text)
order by 1
