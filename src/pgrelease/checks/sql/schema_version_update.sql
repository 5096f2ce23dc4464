-- Replace the schema_version value of one row, found by its ctid (locked by the caller).
update bot_config
set config_value = %(value)s::jsonb
where ctid = %(row_id)s::tid
  and config_key = 'schema_version'
