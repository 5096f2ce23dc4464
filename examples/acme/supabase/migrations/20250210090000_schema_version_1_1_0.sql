-- Schema version 1.1.0: image uploads, realtime timeline, reactions (all additive).

update public.bot_config
   set config_value = jsonb_build_object(
         'version', '1.1.0',
         'migration', '20250210090000_schema_version_1_1_0',
         'timestamp', '2025-02-10T09:00:00Z')
 where config_key = 'schema_version';
