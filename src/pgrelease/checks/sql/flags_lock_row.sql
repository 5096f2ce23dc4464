-- Lock the environment's feature_flags row: a concurrent `flags set` waits here and then
-- sees this transaction's committed value, so no update is lost.
select b.ctid::text as row_id, b.config_value
from bot_config b
where b.config_key = 'feature_flags'
  and b.environment::text = %(environment)s::text
for update
