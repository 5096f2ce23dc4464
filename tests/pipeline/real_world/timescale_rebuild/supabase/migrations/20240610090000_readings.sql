-- a PostgreSQL 15 project with TimescaleDB (hosted PostgreSQL 15 projects offer 2.16.1)
create extension if not exists timescaledb with schema extensions;

create table public.readings (
  recorded_at timestamptz not null,
  device_id uuid not null,
  value double precision
);
select extensions.create_hypertable('public.readings', 'recorded_at');
