create table public.tickets (id int primary key, owner_id bigint, priority int, title text);
create view public.urgent as select id, title from public.tickets where priority > 3;
alter table public.tickets enable row level security;
create policy own_tickets on public.tickets for select using (owner_id = 42);
create function public.stamp() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger tickets_stamp before update of owner_id on public.tickets for each row execute function public.stamp();
