create schema app;
create schema reporting;
create table app.a (id int primary key, name text);
create table reporting.r (id int primary key, total numeric);
create table public.p (id int primary key, flag boolean);
