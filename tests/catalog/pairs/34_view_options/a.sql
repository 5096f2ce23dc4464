create table public.accounts (id int primary key, owner uuid, balance numeric);
create view public.my_accounts as select id, balance from public.accounts;
create view public.positive as select id, balance from public.accounts where balance > 0;
