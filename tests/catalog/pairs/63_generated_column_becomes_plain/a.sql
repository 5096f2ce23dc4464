-- A stored generated column that becomes a plain one keeps its values (DROP EXPRESSION);
-- a plain column that becomes generated is dropped and added again.
create table public.gencol (
  id int primary key,
  label text generated always as ('fixed label') stored,
  doubled int generated always as (id * 2) stored,
  note text
);
insert into public.gencol (id, note) values (1, 'x');
