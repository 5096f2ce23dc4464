create extension citext;
create table public.users (id int primary key, email public.citext);
