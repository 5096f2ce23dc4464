create table public.wide (id int primary key, c boolean, a text, b int);
create table public.grown (id int primary key, note text);
