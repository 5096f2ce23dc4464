create table public.accounts (id int primary key, email text, constraint accounts_email_unique unique (email));
