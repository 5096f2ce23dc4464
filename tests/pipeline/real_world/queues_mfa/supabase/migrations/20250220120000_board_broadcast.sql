create table public.board_events (
  id bigint generated always as identity primary key,
  board text not null,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

alter table public.board_events enable row level security;

create policy "board events: authenticated read" on public.board_events
  for select to authenticated using (true);

-- Realtime Authorization: only signed-in users may listen to board topics.
create policy "board topics: authenticated receive" on realtime.messages
  for select to authenticated
  using (realtime.topic() like 'board:%');

create or replace function public.broadcast_board_event() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.broadcast_changes(
    'board:' || new.board, tg_op, tg_op, tg_table_name, tg_table_schema, new, old
  );
  return null;
end;
$$;

create trigger board_events_broadcast
  after insert or update or delete on public.board_events
  for each row execute function public.broadcast_board_event();
