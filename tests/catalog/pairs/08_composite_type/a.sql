create type public.address as (street text, city text, zip integer);
create type public.old_pair as (a int, b int);
