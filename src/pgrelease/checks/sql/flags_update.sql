-- Set one flag with jsonb_set, as the runbook's emergency SQL does, on the locked row.
update bot_config
set config_value = jsonb_set(config_value, array[%(flag)s::text], to_jsonb(%(value)s::boolean), true)
where ctid = %(row_id)s::tid
  and config_key = 'feature_flags'
returning config_value -> %(flag)s::text as new_value
