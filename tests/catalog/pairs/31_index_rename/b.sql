create table public.t (id int primary key, email text);
create index t_email_lookup on public.t (email);
