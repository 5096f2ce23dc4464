insert into bot_config (config_key, config_value)
values ('schema_version', %(value)s::jsonb)
