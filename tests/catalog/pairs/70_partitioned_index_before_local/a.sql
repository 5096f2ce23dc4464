-- A new index on a partitioned table and a new index of the same shape on one partition:
-- the partitioned one is created first, or it would adopt the partition's index as its own.
create table public.readings (sensor int not null, taken date not null, value numeric) partition by range (taken);
create table public.readings_2024 partition of public.readings for values from ('2024-01-01') to ('2025-01-01');
