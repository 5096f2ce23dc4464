create schema app;
create schema reporting;
create table app.a (id int primary key);
create table reporting.r (id int primary key);
create table public.p (id int primary key);
