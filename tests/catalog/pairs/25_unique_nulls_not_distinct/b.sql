create table public.handles (id int primary key, handle text, team text,
  constraint handles_handle_key unique nulls not distinct (handle),
  constraint handles_team_handle_key unique (team, handle));
