create schema scratch;
create table scratch.tmp (id int);
create table public.kept (id int primary key);
