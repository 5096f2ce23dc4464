create table public.handles (id int primary key, handle text, team text, constraint handles_handle_key unique (handle));
