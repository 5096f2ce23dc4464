insert into bot_config (config_key, environment, config_value)
values ('schema_version', %(environment)s, %(value)s::jsonb)
