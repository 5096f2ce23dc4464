create table public.parents (id int primary key);
create table public.children (id int primary key, parent_id int, age int);
alter table public.children add constraint children_parent_fkey foreign key (parent_id) references public.parents (id);
alter table public.children add constraint children_age_check check (age >= 0) not valid;
