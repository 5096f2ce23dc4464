-- One audit_log row, written in the same transaction as the change it records.
insert into audit_log (actor, action, target, details)
values (%(actor)s, %(action)s, %(target)s, %(details)s::jsonb)
returning to_jsonb(audit_log) ->> 'id' as id
