-- The unique index behind a foreign key becomes a unique constraint: the key that points at
-- it is dropped first and added back. Two tables pointing at each other go away.
create table public.accounts (id int primary key, code text);
create unique index accounts_code_idx on public.accounts (code);
create table public.notes (id int primary key, account_code text constraint notes_account_fkey references public.accounts (code));
create table public.orders (id int primary key, last_line_id int);
create table public.a_lines (id int primary key, order_id int constraint a_lines_order_fkey references public.orders (id));
alter table public.orders add constraint orders_last_line_fkey foreign key (last_line_id) references public.a_lines (id);
create table public.z_items (id int primary key, order_id int constraint z_items_order_fkey references public.orders (id));
