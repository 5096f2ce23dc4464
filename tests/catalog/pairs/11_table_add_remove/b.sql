create table public.keep (id int primary key);
create table public.events (
  id bigint generated always as identity primary key,
  kind text not null default 'click',
  payload jsonb,
  amount numeric(12, 2) check (amount >= 0),
  tags text[] not null default '{}',
  happened_at timestamptz not null default now()
);
create index events_kind_idx on public.events (kind);
