create table public.readings (sensor int not null, taken date not null, value numeric) partition by range (taken);
create table public.readings_2024 partition of public.readings for values from ('2024-01-01') to ('2025-01-01');
create index z_readings_sensor_idx on public.readings (sensor, taken);
create index a_readings_2024_sensor_idx on public.readings_2024 (sensor, taken);
