create table public.accounts (id int primary key, email text, nickname text not null);
