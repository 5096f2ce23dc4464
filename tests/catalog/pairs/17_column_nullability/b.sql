create table public.accounts (id int primary key, email text not null, nickname text);
