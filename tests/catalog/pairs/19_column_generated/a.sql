create table public.lines (
  id int primary key,
  qty int not null,
  unit_price numeric not null,
  total numeric generated always as (qty * unit_price) stored
);
