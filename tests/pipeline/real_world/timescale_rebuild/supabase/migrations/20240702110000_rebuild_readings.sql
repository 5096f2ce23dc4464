-- the table is rebuilt with another layout and made a hypertable again
drop table public.readings;

create table public.readings (
  device_id uuid not null,
  recorded_at timestamptz not null,
  value double precision,
  unit text not null default 'C'
);
select extensions.create_hypertable('public.readings', extensions.by_range('recorded_at', interval '1 day'));
