-- Serialise concurrent `guard set-version` runs (the lock is released at commit or
-- rollback), so two first-time writers cannot both insert a row.
select pg_advisory_xact_lock(hashtext('pgrelease:bot_config:schema_version'))
