-- What a statement that commits as it goes (CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY,
-- DETACH PARTITION CONCURRENTLY) leaves when it is interrupted: invalid indexes, and
-- partitions pending detach (pg_inherits.inhdetachpending, PostgreSQL 14+).
select 'invalid index ' || i.indexrelid::regclass::text
from pg_index i
where not i.indisvalid
union all
select 'partition ' || h.inhrelid::regclass::text || ' pending detach'
from pg_inherits h
where %(version)s >= 140000 and (to_jsonb(h) ->> 'inhdetachpending')::boolean
