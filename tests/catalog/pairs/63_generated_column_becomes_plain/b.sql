create table public.gencol (
  id int primary key,
  label text,
  doubled int generated always as (id * 3) stored,
  note text generated always as ('computed') stored
);
