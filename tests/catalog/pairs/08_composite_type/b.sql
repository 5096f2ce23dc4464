create type public.address as (street text, city text, zip text, country text);
create type public.new_pair as (a int, b int, c int);
