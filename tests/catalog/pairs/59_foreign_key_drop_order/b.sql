create table public.accounts (id int primary key, code text constraint accounts_code_key unique);
create table public.notes (id int primary key, account_code text constraint notes_account_fkey references public.accounts (code));
