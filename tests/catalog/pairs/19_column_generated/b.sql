create table public.lines (
  id int primary key,
  qty int not null,
  unit_price numeric not null,
  total numeric generated always as (qty * unit_price * 1.2) stored,
  qty_doubled int generated always as (qty * 2) stored
);
