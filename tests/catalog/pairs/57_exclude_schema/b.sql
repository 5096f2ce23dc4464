create schema scratch;
create table scratch.tmp (id int, junk text);
create table scratch.more (id int);
create table public.kept (id int primary key, name text);
