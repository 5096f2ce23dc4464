create type public.mood as enum ('sad', 'ok', 'happy', 'ecstatic');
create table public.people (id int primary key, mood public.mood default 'happy');
