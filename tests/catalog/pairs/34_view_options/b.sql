create table public.accounts (id int primary key, owner uuid, balance numeric);
create view public.my_accounts with (security_invoker = true) as select id, balance from public.accounts;
create view public.positive as select id, balance from public.accounts where balance > 0 with local check option;
