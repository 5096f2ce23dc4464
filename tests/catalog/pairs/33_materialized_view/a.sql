create table public.sales (id int primary key, region text, amount numeric);
create materialized view public.sales_by_region as select region, sum(amount) as total from public.sales group by region;
create unique index sales_by_region_region_idx on public.sales_by_region (region);
grant select on public.sales_by_region to authenticated;
comment on materialized view public.sales_by_region is 'per region';
