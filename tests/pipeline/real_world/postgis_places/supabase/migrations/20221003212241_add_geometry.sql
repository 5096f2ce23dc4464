-- postgis on a PostgreSQL 15 project (the shape of Ozonizador/feathers
-- supabase/migrations/20221003212241_add_geometry.sql)
create extension postgis with schema extensions;

create table public.advertisements (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  lat double precision,
  lng double precision
);
alter table public.advertisements enable row level security;
select extensions.AddGeometryColumn('public', 'advertisements', 'geom', 4326, 'POINT', 2);

create or replace function public.advertisements_near(lat double precision, lng double precision)
returns setof public.advertisements language sql stable set search_path = public, extensions as $$
  select * from public.advertisements a
   where ST_DWithin(a.geom::geography, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, 10000);
$$;
