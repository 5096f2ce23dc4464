-- Composite types made of other composite types and domains are created after, and dropped
-- before, what they are made of, whatever their names.
create type public.point2 as (x int, y int);
create type public.a_shape as (origin public.point2, label text);
