create table public.wide (id int primary key, a text, b int, c boolean);
create table public.grown (id int primary key, note text);
alter table public.grown drop column note;
alter table public.grown add column note text;
