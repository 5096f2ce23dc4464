create type public.mood as enum ('sad', 'happy');
create table public.people (id int primary key, mood public.mood default 'happy');
